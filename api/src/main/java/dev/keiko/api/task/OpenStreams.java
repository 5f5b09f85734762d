package dev.keiko.api.task;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.api.problem.Problems;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The event streams open in this API process, per user. A user may have {@code keiko.api.max-streams-per-user}
 * open; one more is refused with 429 before it starts. A stream ends, with a {@code closed} event saying why,
 * when its access token expires or when its token would no longer be accepted: one query every
 * {@code keiko.api.stream-user-check-interval} looks up the users with open streams.
 */
@Component
class OpenStreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

    private final Map<UUID, Set<OpenStream>> byUser = new ConcurrentHashMap<>();
    private final UserStore users;
    private final EventStreamProperties properties;
    private final Disposable watching;

    OpenStreams(UserStore users, EventStreamProperties properties) {
        this.users = users;
        this.properties = properties;
        this.watching = Flux.interval(properties.streamUserCheckInterval())
                .onBackpressureDrop()
                .concatMap(tick -> checkUsers().onErrorResume(e -> {
                    log.warn("Could not check the users of open event streams: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** Throws 429 when the user has as many streams open as allowed. */
    void requireRoom(CurrentUser user) {
        if (byUser.getOrDefault(user.id(), Set.of()).size() >= properties.maxStreamsPerUser()) {
            throw tooMany();
        }
    }

    /**
     * {@code events} as one of the user's streams, ending at {@code tokenExpiresAt} at the latest. A stream
     * that lost a race for the user's last place (after {@link #requireRoom}) ends at once, saying so.
     */
    Flux<ServerSentEvent<Object>> limit(CurrentUser user, Instant tokenExpiresAt,
            Flux<ServerSentEvent<Object>> events) {
        return Flux.defer(() -> {
            Optional<OpenStream> opened = open(user);
            if (opened.isEmpty()) {
                return Flux.just(closed(StreamClosedView.TOO_MANY_STREAMS));
            }
            OpenStream stream = opened.get();
            Duration left = Duration.between(Instant.now(), tokenExpiresAt);
            Mono<String> expired = Mono.delay(left.isNegative() ? Duration.ZERO : left)
                    .thenReturn(StreamClosedView.TOKEN_EXPIRED);
            Mono<ServerSentEvent<Object>> closing = Mono.firstWithValue(expired, stream.ended.asMono())
                    .map(OpenStreams::closed);
            ServerSentEvent<Object> end = ServerSentEvent.builder().comment("end").build();
            return Flux.merge(events.concatWith(Mono.just(end)), closing)
                    .takeUntil(event -> event == end || "closed".equals(event.event()))
                    .filter(event -> event != end)
                    .doFinally(signal -> close(stream));
        });
    }

    private static ServerSentEvent<Object> closed(String reason) {
        return ServerSentEvent.<Object>builder(new StreamClosedView(reason)).event("closed").build();
    }

    private ErrorResponseException tooMany() {
        return Problems.of(HttpStatus.TOO_MANY_REQUESTS, "You already have " + properties.maxStreamsPerUser()
                + " event streams open, the most allowed; close one first");
    }

    private Optional<OpenStream> open(CurrentUser user) {
        OpenStream stream = new OpenStream(user);
        byUser.compute(user.id(), (id, open) -> {
            Set<OpenStream> streams = open == null ? ConcurrentHashMap.newKeySet() : open;
            if (streams.size() < properties.maxStreamsPerUser()) {
                streams.add(stream);
            }
            return streams.isEmpty() ? null : streams;
        });
        return byUser.getOrDefault(user.id(), Set.of()).contains(stream) ? Optional.of(stream) : Optional.empty();
    }

    private void close(OpenStream stream) {
        byUser.computeIfPresent(stream.user.id(), (id, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    private Mono<Void> checkUsers() {
        Set<UUID> watched = Set.copyOf(byUser.keySet());
        if (watched.isEmpty()) {
            return Mono.empty();
        }
        return users.findAllById(watched).collectMap(User::id).doOnNext(found -> watched.forEach(id -> {
            Optional<User> current = Optional.ofNullable(found.get(id));
            byUser.getOrDefault(id, Set.of()).forEach(stream -> endReason(stream.user, current)
                    .ifPresent(reason -> stream.ended.tryEmitValue(reason)));
        })).then();
    }

    /** Why a stream's token would be refused now, as {@code ActiveUserTokenConverter} would refuse it. */
    private static Optional<String> endReason(CurrentUser streamUser, Optional<User> current) {
        if (current.isEmpty()) {
            return Optional.of(StreamClosedView.USER_DELETED);
        }
        if (!current.get().active()) {
            return Optional.of(StreamClosedView.USER_DEACTIVATED);
        }
        return current.get().role() == streamUser.role() ? Optional.empty()
                : Optional.of(StreamClosedView.ROLE_CHANGED);
    }

    @Override
    public void destroy() {
        watching.dispose();
    }

    private static final class OpenStream {

        private final CurrentUser user;
        private final Sinks.One<String> ended = Sinks.one();

        private OpenStream(CurrentUser user) {
            this.user = user;
        }
    }
}
