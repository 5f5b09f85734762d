package dev.keiko.domain;

import dev.keiko.embedded.EmbeddedServices;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Base of the domain's tests: the stores against embedded PostgreSQL, migrated by Flyway. */
@SpringBootTest(classes = DomainTestApplication.class,
        properties = "spring.config.import=classpath:keiko-defaults.yml")
public abstract class DomainTest {

    @Autowired
    protected UserStore users;

    @DynamicPropertySource
    static void embeddedServices(DynamicPropertyRegistry registry) {
        EmbeddedServices.shared().properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    protected User newUser(Role role) {
        return users.insert("u-" + UUID.randomUUID(), "{noop}x", role, UserProfile.EMPTY).block();
    }
}
