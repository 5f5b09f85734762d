package dev.keiko.domain.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableJsonTest {

    @Test
    void replacesEscapedNulCharacters() {
        assertThat(StorableJson.of("{\"text\":\"a\\u0000b\"}")).isEqualTo("{\"text\":\"a\\uFFFDb\"}");
        assertThat(StorableJson.of("{\"text\":\"\\\\\\u0000\"}")).isEqualTo("{\"text\":\"\\\\\\uFFFD\"}");
    }

    @Test
    void leavesAnEscapedBackslashFollowedByTextAlone() {
        String literal = "{\"text\":\"\\\\u0000\"}";
        assertThat(StorableJson.of(literal)).isEqualTo(literal);
        assertThat(StorableJson.of("{\"a\":1}")).isEqualTo("{\"a\":1}");
    }
}
