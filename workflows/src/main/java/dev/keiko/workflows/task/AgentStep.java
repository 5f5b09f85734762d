package dev.keiko.workflows.task;

/**
 * One step of an agent task, as the task's progress and result show it.
 *
 * @param number the step's position, from 1
 * @param kind {@code llm} or {@code tool}
 * @param name for example {@code llm: gpt-4o step 3} or {@code tool: everything/echo}
 * @param durationMillis how long it took, in workflow time
 * @param tokens the tokens a model call used; 0 for tool calls
 * @param error the error a tool call answered with, the rejection of an approval, {@code cancelled} for a model call
 *     its task's cancel cut short, or null
 */
public record AgentStep(int number, String kind, String name, long durationMillis, long tokens, String error) {
}
