package dev.keiko.domain.payload;

import io.temporal.api.common.v1.Payload;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Offloaded payloads read lately, least recently used dropped first once they pass a size in bytes. */
final class DecodedPayloadCache {

    private record Entry(Payload payload, long size) {
    }

    private final long capacity;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long size;

    DecodedPayloadCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    synchronized Payload get(String id) {
        Entry entry = entries.get(id);
        return entry == null ? null : entry.payload();
    }

    synchronized void put(String id, Payload payload, long bytes) {
        if (bytes > capacity || entries.containsKey(id)) {
            return;
        }
        entries.put(id, new Entry(payload, bytes));
        size += bytes;
        for (Iterator<Entry> oldest = entries.values().iterator(); size > capacity && oldest.hasNext(); ) {
            size -= oldest.next().size();
            oldest.remove();
        }
    }
}
