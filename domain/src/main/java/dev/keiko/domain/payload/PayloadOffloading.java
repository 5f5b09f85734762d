package dev.keiko.domain.payload;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data converter of every Keiko process (API and workers): the SDK's default, with large
 * payloads offloaded to PostgreSQL. All processes must share it, since each decodes what the
 * others encoded.
 */
@Configuration(proxyBeanMethods = false)
class PayloadOffloading {

    @Bean
    DataConverter mainDataConverter(PayloadStore store, PayloadProperties properties) {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
                List.of(new OffloadingPayloadCodec(store, properties.offloadThreshold().toBytes())));
    }
}
