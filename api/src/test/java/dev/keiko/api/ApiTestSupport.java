package dev.keiko.api;

import dev.keiko.api.auth.AdminBootstrap;
import dev.keiko.api.auth.PasswordHasher;
import dev.keiko.api.auth.TokenResponse;
import dev.keiko.domain.user.Role;
import dev.keiko.domain.user.User;
import dev.keiko.domain.user.UserProfile;
import dev.keiko.domain.user.UserStore;
import dev.keiko.embedded.EmbeddedServices;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the API's integration tests: the whole API on a random port against the JVM's shared embedded
 * PostgreSQL and Temporal. The database is shared by every test, so create fresh users rather than
 * assuming any table is empty.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=api",
            "keiko.auth.jwt-secret=" + ApiTestSupport.JWT_SECRET,
            "keiko.auth.admin-password=" + ApiTestSupport.ADMIN_PASSWORD,
            // Every test signs in from 127.0.0.1; LoginLimitsTestSupport tests the throttle on its own.
            "keiko.auth.login-throttle.failures-per-address=100000",
            "keiko.codec.allowed-origins=" + ApiTestSupport.WEB_UI_ORIGIN,
            "keiko.api.metrics-token=" + ApiTestSupport.METRICS_TOKEN
        })
// A CI machine running the whole build can take more than the default 5 s to answer now and then (a GC pause,
// other processes on its two cores); a request that really hangs still fails.
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class ApiTestSupport {

    protected static final String JWT_SECRET = "keiko-api-tests-signing-secret-of-at-least-32-bytes";
    protected static final String ADMIN_PASSWORD = "admin-password-for-tests";
    /** The Temporal Web UI's origin, allowed to call the codec endpoint. */
    protected static final String WEB_UI_ORIGIN = "http://localhost:8233";
    /** The token Prometheus scrapes the API's metrics with. */
    protected static final String METRICS_TOKEN = "metrics-scrape-token-for-tests-0123456789";

    /** A user the test created (or the bootstrapped admin), with its password and a real access token. */
    public record TestUser(UUID id, String username, String password, String token) {
    }

    /** The password of every user {@link #createUser} creates; each has a username of its own. */
    private static final String USER_PASSWORD = "pw-" + UUID.randomUUID();
    private static String userPasswordHash;

    @Autowired
    protected WebTestClient web;

    @Autowired
    private UserStore users;

    @Autowired
    private PasswordHasher hasher;

    @DynamicPropertySource
    static void embeddedServices(DynamicPropertyRegistry registry) {
        EmbeddedServices.shared().properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** Inserts an active user with {@code role} and a unique username, and signs it in. */
    protected TestUser createUser(Role role) {
        String username = role.value() + "-" + UUID.randomUUID().toString().replace("-", "");
        User user = users.insert(username, userPasswordHash(), role, UserProfile.EMPTY).block();
        return new TestUser(user.id(), username, USER_PASSWORD, token(username, USER_PASSWORD));
    }

    /**
     * The hash of {@link #USER_PASSWORD}, made once by the API's hasher: bcrypt is slow on purpose, and hashing
     * for every user took one of the two bcrypt runs each created user cost (signing in still checks it).
     */
    private String userPasswordHash() {
        synchronized (ApiTestSupport.class) {
            if (userPasswordHash == null) {
                userPasswordHash = hasher.hash(USER_PASSWORD).block();
            }
            return userPasswordHash;
        }
    }

    /** The admin that start-up created from {@code keiko.auth.admin-password}, signed in. */
    protected TestUser admin() {
        User admin = users.findByUsername(AdminBootstrap.ADMIN_USERNAME).block();
        return new TestUser(admin.id(), admin.username(), ADMIN_PASSWORD, token(admin.username(), ADMIN_PASSWORD));
    }

    /** A fresh access token through {@code POST /api/v1/auth/token}. */
    protected String token(String username, String password) {
        return web.post().uri("/api/v1/auth/token")
                .bodyValue(Map.of("username", username, "password", password))
                .exchange()
                .expectStatus().isOk()
                .expectBody(TokenResponse.class)
                .returnResult()
                .getResponseBody()
                .accessToken();
    }
}
