package dev.keiko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The launcher's worker and API share one JVM's environment but not a port. */
class DevLauncherArgumentsTest {

    @Test
    void theWorkerGetsItsOwnPortInsteadOfTheApis() {
        String expected = System.getenv("KEIKO_WORKER_PORT") == null ? "8081" : System.getenv("KEIKO_WORKER_PORT");

        assertThat(DevLauncher.workerArguments(new String[] {"--server.port=9090", "--keiko.x=y"}))
                .containsExactly("--keiko.x=y", "--server.port=" + expected);
    }
}
