package dev.keiko.activities.llm;

import dev.keiko.workflows.llm.ChatCompletionInput;
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

    /**
     * Streams one chat completion into the answer, returning once it is complete; an answer that comes back
     * whole goes into it all at once. {@link ChatAnswer#abort()} stops it from another thread.
     *
     * @param deployment the Azure deployment or the model to answer with
     */
    void complete(String deployment, ChatCompletionInput input, ChatAnswer answer) throws InterruptedException;

    /** @param deployment the Azure image deployment or the image model */
    ImageGenerationOutput generateImage(String deployment, ImageGenerationInput input) throws InterruptedException;
}
