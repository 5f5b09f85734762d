package dev.keiko.api.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides what may be a secret in a server definition shown by the API: a URL's user info and query values
 * (scheme, host, port and path stay, the path as it is), and in stdio arguments every URL as above, the
 * value of any {@code NAME=value} whose name speaks of a secret ({@code --api-key=x}, {@code
 * GITHUB_TOKEN=x}, {@code --env=DB_PASSWORD=x}), the argument after a flag whose name speaks of a secret
 * ({@code --token x}, even when {@code x} starts with a dash), and the value of a header given as an
 * argument ({@code "Authorization: Bearer x"}).
 */
final class ShownSecrets {

    static final String HIDDEN = "******";

    // Matched by scanning, never by a backtracking pattern over a whole argument: arguments are written by
    // users and may be hundreds of kilobytes long.
    private static final Pattern SECRET_WORD =
            Pattern.compile("(?i)token|key|secret|password|passwd|pwd|auth|credential|cookie|session");
    private static final Pattern HEADER_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):\\s+\\S.*",
            Pattern.DOTALL);
    private static final String URL_MARK = "://";

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
            if (valueOfSecretFlag) {
                shown.add(HIDDEN);
                valueOfSecretFlag = false;
                continue;
            }
            valueOfSecretFlag = isSecretFlag(arg);
            shown.add(arg(arg));
        }
        return List.copyOf(shown);
    }

    private static String arg(String arg) {
        Matcher header = HEADER_LINE.matcher(arg);
        if (header.matches()) {
            return header.group(1) + ": " + HIDDEN;
        }
        // URLs first, so that user info before a secret name is hidden too.
        return withSecretValueHidden(withUrlsHidden(arg));
    }

    /** {@code --token}, {@code -api-key}: a flag whose next argument is its value. */
    private static boolean isSecretFlag(String arg) {
        return arg.startsWith("-") && nameStart(arg, arg.length()) == 0 && SECRET_WORD.matcher(arg).find();
    }

    /** Everything after the first {@code =} that follows a name speaking of a secret, hidden. */
    private static String withSecretValueHidden(String arg) {
        for (int equals = arg.indexOf('='); equals >= 0; equals = arg.indexOf('=', equals + 1)) {
            if (SECRET_WORD.matcher(arg).region(nameStart(arg, equals), equals).find()) {
                return arg.substring(0, equals + 1) + HIDDEN;
            }
        }
        return arg;
    }

    /** Every {@code scheme://...} up to the next white space, shown as {@link #url(String)} shows it. */
    private static String withUrlsHidden(String arg) {
        StringBuilder shown = new StringBuilder(arg.length());
        int copied = 0;
        int mark = arg.indexOf(URL_MARK);
        while (mark >= 0) {
            int start = schemeStart(arg, mark);
            int end = mark + URL_MARK.length();
            while (end < arg.length() && !Character.isWhitespace(arg.charAt(end))) {
                end++;
            }
            if (start < mark && end > mark + URL_MARK.length()) {
                shown.append(arg, copied, start).append(url(arg.substring(start, end)));
                copied = end;
                mark = arg.indexOf(URL_MARK, end);
            } else {
                mark = arg.indexOf(URL_MARK, mark + 1);
            }
        }
        return shown.append(arg, copied, arg.length()).toString();
    }

    /** Where the scheme before {@code mark} starts (at its first letter), or {@code mark} when there is none. */
    private static int schemeStart(String arg, int mark) {
        int start = mark;
        while (start > 0 && isSchemeChar(arg.charAt(start - 1))) {
            start--;
        }
        while (start < mark && !isAsciiLetter(arg.charAt(start))) {
            start++;
        }
        return start;
    }

    /** Where the run of word characters, dots and dashes that ends at {@code end} starts. */
    private static int nameStart(String arg, int end) {
        int start = end;
        while (start > 0 && isNameChar(arg.charAt(start - 1))) {
            start--;
        }
        return start;
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
    }

    private static boolean isSchemeChar(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
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
