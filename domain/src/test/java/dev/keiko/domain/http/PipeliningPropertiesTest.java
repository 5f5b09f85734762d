package dev.keiko.domain.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class PipeliningPropertiesTest {

    @Test
    void aNegativeByteLimitIsRefusedRatherThanClosingEveryConnection() {
        assertThatThrownBy(() -> new PipeliningProperties(16, DataSize.ofBytes(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-waiting-bytes");
        assertThat(new PipeliningProperties(0, DataSize.ofBytes(0)).maxWaitingBytes().toBytes()).isZero();
    }
}
