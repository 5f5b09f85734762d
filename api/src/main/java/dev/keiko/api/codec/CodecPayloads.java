package dev.keiko.api.codec;

import dev.keiko.api.auth.CurrentUser;
import dev.keiko.domain.payload.EncryptingPayloadCodec;
import dev.keiko.domain.payload.OffloadingPayloadCodec;
import dev.keiko.domain.payload.PayloadKeyMissingException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Temporal's codec-server operations over Keiko's codecs. Decoding resolves offloaded references and decrypts,
 * payload by payload, only what {@link PayloadAccess} lets the caller read; every other payload is answered as
 * it came, still encrypted (or still a reference). Nothing decoded is logged.
 */
@Service
class CodecPayloads {

    /** The most one decode request resolves from PostgreSQL; further references are answered as they came. */
    static final long MAX_RESOLVED_BYTES = 32L * 1024 * 1024;

    private final OffloadingPayloadCodec offloading;
    private final EncryptingPayloadCodec encrypting;
    private final PayloadAccess access;

    CodecPayloads(OffloadingPayloadCodec offloading, EncryptingPayloadCodec encrypting, PayloadAccess access) {
        this.offloading = offloading;
        this.encrypting = encrypting;
        this.access = access;
    }

    Mono<Payloads> decode(CurrentUser user, Payloads payloads) {
        PayloadAccess.Decisions decisions = access.forRequest(user);
        AtomicLong resolved = new AtomicLong();
        return Flux.fromIterable(payloads.getPayloadsList())
                .concatMap(payload -> decode(decisions, payload, resolved))
                .collectList()
                .map(decoded -> Payloads.newBuilder().addAllPayloads(decoded).build());
    }

    /** Encrypts (bound to no workflow) and offloads what is still too large, as a Keiko process would. */
    Mono<Payloads> encode(CurrentUser user, Payloads payloads) {
        user.require("tasks:create");
        return Mono.fromCallable(() -> Payloads.newBuilder()
                        .addAllPayloads(offloading.encode(encrypting.encode(payloads.getPayloadsList())))
                        .build())
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Payload> decode(PayloadAccess.Decisions decisions, Payload payload, AtomicLong resolvedBytes) {
        boolean reference = payload.containsMetadata(OffloadingPayloadCodec.OFFLOADED);
        if (!reference && !EncryptingPayloadCodec.isEncrypted(payload)) {
            return Mono.just(payload);
        }
        Mono<Payload> stored = reference ? resolve(payload, resolvedBytes) : Mono.just(payload);
        return stored
                .flatMap(found -> decisions.mayRead(workflowOf(found))
                        .map(allowed -> allowed ? decrypt(found, payload) : payload))
                .defaultIfEmpty(payload);
    }

    /** The payload a reference stands for; empty when it cannot be read or the request has read enough. */
    private Mono<Payload> resolve(Payload reference, AtomicLong resolvedBytes) {
        if (resolvedBytes.get() >= MAX_RESOLVED_BYTES) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> offloading.decode(List.of(reference)).getFirst())
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(found -> resolvedBytes.addAndGet(found.getSerializedSize()))
                .onErrorResume(PayloadCodecException.class, unreadable -> Mono.empty());
    }

    /** An encrypted payload's workflow; an offloaded one from before encryption is bound to none. */
    private static String workflowOf(Payload payload) {
        return EncryptingPayloadCodec.isEncrypted(payload) ? EncryptingPayloadCodec.boundWorkflowId(payload) : null;
    }

    private Payload decrypt(Payload payload, Payload asSent) {
        try {
            return encrypting.decode(List.of(payload)).getFirst();
        } catch (PayloadCodecException | PayloadKeyMissingException unreadable) {
            return asSent;
        }
    }
}
