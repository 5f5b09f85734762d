package dev.keiko.api.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides what may be a secret in a server definition shown by the API: a URL's user info and query values
 * (scheme, host, port and path stay), and in stdio arguments the value after a flag whose name speaks of a
 * secret ({@code --token x}, {@code --api-key=x}, {@code --password}...), the value of a header given as
 * an argument ({@code "Authorization: Bearer x"}), and URLs as above.
 */
final class ShownSecrets {

    static final String HIDDEN = "******";

    private static final String SECRET_WORDS = "token|key|secret|password|passwd|pwd|auth|credential|cookie|session";
    private static final Pattern SECRET_FLAG = Pattern.compile("(?i)--?[\\w.-]*(" + SECRET_WORDS + ")[\\w.-]*");
    private static final Pattern SECRET_FLAG_WITH_VALUE =
            Pattern.compile("(?i)(--?[\\w.-]*(" + SECRET_WORDS + ")[\\w.-]*)=.*", Pattern.DOTALL);
    private static final Pattern HEADER_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):\\s+\\S.*",
            Pattern.DOTALL);
    private static final Pattern URL = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://\\S+");

    private ShownSecrets() {
    }

    static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return HIDDEN;
            }
            StringBuilder shown = new StringBuilder(uri.getScheme()).append("://");
            if (uri.getRawUserInfo() != null) {
                shown.append(HIDDEN).append('@');
            }
            shown.append(uri.getHost() == null ? HIDDEN : hostOf(uri));
            if (uri.getPort() >= 0) {
                shown.append(':').append(uri.getPort());
            }
            shown.append(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                shown.append('?').append(query(uri.getRawQuery()));
            }
            return shown.toString();
        } catch (URISyntaxException e) {
            return HIDDEN;
        }
    }

    static List<String> args(List<String> args) {
        List<String> shown = new ArrayList<>(args.size());
        boolean valueOfSecretFlag = false;
        for (String arg : args) {
            if (valueOfSecretFlag && !arg.startsWith("-")) {
                shown.add(HIDDEN);
                valueOfSecretFlag = false;
                continue;
            }
            valueOfSecretFlag = SECRET_FLAG.matcher(arg).matches();
            shown.add(arg(arg));
        }
        return List.copyOf(shown);
    }

    private static String arg(String arg) {
        Matcher flag = SECRET_FLAG_WITH_VALUE.matcher(arg);
        if (flag.matches()) {
            return flag.group(1) + "=" + HIDDEN;
        }
        Matcher header = HEADER_LINE.matcher(arg);
        if (header.matches() && !URL.matcher(arg).matches()) {
            return header.group(1) + ": " + HIDDEN;
        }
        Matcher url = URL.matcher(arg);
        return url.find() ? arg.substring(0, url.start()) + url(url.group()) + arg.substring(url.end()) : arg;
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String query(String query) {
        List<String> parts = new ArrayList<>();
        for (String part : query.split("&", -1)) {
            int equals = part.indexOf('=');
            parts.add(equals < 0 ? HIDDEN : part.substring(0, equals) + "=" + HIDDEN);
        }
        return String.join("&", parts);
    }
}
