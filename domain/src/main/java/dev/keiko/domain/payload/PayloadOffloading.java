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
 * The data converter of every Keiko process (API and workers): the SDK's default, with every payload
 * encrypted and large ones offloaded to PostgreSQL. All processes must share it, and its keys, since each
 * decodes what the others encoded. Its JSON ignores properties it does not know, so that during a rolling
 * deploy an older process still reads what a newer one wrote (a record that has gained a component).
 */
@Configuration(proxyBeanMethods = false)
public class PayloadOffloading {

    @Bean
    OffloadingPayloadCodec offloadingPayloadCodec(PayloadStore store, PayloadProperties properties) {
        return new OffloadingPayloadCodec(store, properties.offloadThreshold().toBytes());
    }

    @Bean
    EncryptingPayloadCodec encryptingPayloadCodec(PayloadEncryptionProperties properties) {
        return new EncryptingPayloadCodec(properties);
    }

    @Bean
    DataConverter mainDataConverter(OffloadingPayloadCodec offloading, EncryptingPayloadCodec encrypting) {
        return dataConverter(offloading, encrypting);
    }

    /**
     * Keiko's converter over these codecs. The SDK encodes with the last codec first: a payload is encrypted,
     * then offloaded if still too large, so PostgreSQL holds ciphertext too; decoding resolves a reference
     * first, then decrypts. Failure messages and stack traces are encrypted too: a failed tool call's message
     * can quote what the tool saw.
     */
    public static DataConverter dataConverter(OffloadingPayloadCodec offloading, EncryptingPayloadCodec encrypting) {
        ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        DataConverter converter = DefaultDataConverter.newDefaultInstance()
                .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(json));
        return new CodecDataConverter(converter, List.of(offloading, encrypting), true);
    }
}
