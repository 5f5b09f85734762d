package dev.keiko.activities.tool;

import dev.keiko.activities.ActivityEnvironment;
import dev.keiko.workflows.tool.ToolActivities;
import java.time.Duration;

/** The tool activities under Temporal's test environment. */
final class ToolActivityEnvironment extends ActivityEnvironment<ToolActivities> {

    ToolActivityEnvironment(ToolActivities implementation) {
        super(ToolActivities.class, implementation, Duration.ofSeconds(60));
    }
}
