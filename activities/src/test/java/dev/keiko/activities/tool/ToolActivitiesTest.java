package dev.keiko.activities.tool;

import dev.keiko.activities.ActivitiesTest;
import dev.keiko.activities.mcp.McpClientPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/** Base of the tool activities' tests against real MCP servers: the activity bean in Temporal's test environment. */
abstract class ToolActivitiesTest extends ActivitiesTest {

    @Autowired
    ToolActivitiesImpl implementation;

    @Autowired
    McpClientPool pool;

    ToolActivityEnvironment environment;

    @BeforeEach
    void startEnvironment() {
        environment = new ToolActivityEnvironment(implementation);
    }

    @AfterEach
    void closeEnvironment() {
        environment.close();
    }
}
