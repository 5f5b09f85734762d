package dev.keiko.launcher;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the stubs that name it: the first request to each path hangs for a minute, later ones answer at
 * once. Counted when a request arrives, so a request whose caller died before the answer still counts
 * (WireMock's own journal and scenarios only see answered ones).
 */
final class FirstCallHangs implements ResponseDefinitionTransformerV2 {

    static final String NAME = "first-call-hangs";

    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        String path = serveEvent.getRequest().getUrl().replaceAll("\\?.*", "");
        int number = requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
        ResponseDefinition answer = serveEvent.getResponseDefinition();
        return number == 1 ? ResponseDefinitionBuilder.like(answer).withFixedDelay(60_000).build() : answer;
    }

    /** The requests to that path, answered or not. */
    int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
