package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.ChatCompletionInput;
import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.ImageGenerationInput;
import dev.keiko.workflows.llm.ImageGenerationOutput;

/**
 * One LLM provider, over Keiko's own records. Calls block; an interrupt aborts them. Error
 * responses, and only they, are thrown as classified {@link io.temporal.failure.ApplicationFailure}s: a
 * transport failure is thrown as it is, so that the activity can tell a refused call (nothing spent)
 * from one whose answer was lost (still charged).
 */
interface ChatProvider {

    /** The provider's name in messages, for example {@code Azure OpenAI}. */
    String name();

    /** @param deployment the Azure deployment or the model to answer with */
    ChatCompletionOutput complete(String deployment, ChatCompletionInput input) throws InterruptedException;

    /** @param deployment the Azure image deployment or the image model */
    ImageGenerationOutput generateImage(String deployment, ImageGenerationInput input) throws InterruptedException;
}
