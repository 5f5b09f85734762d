package dev.keiko.domain.payload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data converter of every Keiko process (API and workers): the SDK's default, with large
 * payloads offloaded to PostgreSQL. All processes must share it, since each decodes what the
 * others encoded. Its JSON ignores properties it does not know, so that during a rolling deploy an
 * older process still reads what a newer one wrote (a record that has gained a component).
 */
@Configuration(proxyBeanMethods = false)
class PayloadOffloading {

    @Bean
    DataConverter mainDataConverter(PayloadStore store, PayloadProperties properties) {
        ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        DataConverter converter = DefaultDataConverter.newDefaultInstance()
                .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(json));
        return new CodecDataConverter(converter,
                List.of(new OffloadingPayloadCodec(store, properties.offloadThreshold().toBytes())));
    }
}
