package dev.keiko.activities.llm;

/** The provider one call goes to, and the deployment or model it asks for. */
record LlmTarget(ChatProvider provider, String deployment) {
}
