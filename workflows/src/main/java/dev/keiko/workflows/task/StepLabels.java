package dev.keiko.workflows.task;

/**
 * The labels of a task's steps, as its progress, its agent steps and its activities' summaries show them,
 * for example {@code llm: gpt-4o step 2} or {@code tool: everything/echo}.
 */
public final class StepLabels {

    /** The model named when a task names no deployment. */
    public static final String DEFAULT_MODEL = "default";

    private StepLabels() {
    }

    /** The one model call of a completion task. */
    public static String completion(String deployment) {
        return "llm: " + model(deployment);
    }

    /** An agent's model call number {@code call}, counted from 1. */
    public static String agentModelCall(String deployment, int call) {
        return "llm: " + model(deployment) + " step " + call;
    }

    public static String image(String deployment) {
        return "image: " + model(deployment);
    }

    public static String toolCall(String server, String tool) {
        return "tool: " + tool(server, tool);
    }

    /** Waiting for a person's decision on a call of {@code tool} ({@code server/tool}). */
    public static String approval(String tool) {
        return "approval: " + tool;
    }

    /** A tool as approvals and rejections name it: {@code server/tool}. */
    public static String tool(String server, String tool) {
        return server + "/" + tool;
    }

    private static String model(String deployment) {
        return deployment != null ? deployment : DEFAULT_MODEL;
    }
}
