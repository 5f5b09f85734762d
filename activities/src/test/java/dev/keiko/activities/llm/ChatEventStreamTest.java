package dev.keiko.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keiko.workflows.llm.ChatCompletionOutput;
import dev.keiko.workflows.llm.TokenUsage;
import dev.keiko.workflows.llm.ToolCallRequest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event streams of servers that speak OpenAI's chunk format loosely, read into an answer. */
class ChatEventStreamTest {

    @Test
    void readsCommentsCarriageReturnsAndDataSplitOverLines() throws IOException {
        ChatAnswer answer = read(": keep-alive\r\n\r\nevent: message\r\ndata: {\"model\": \"llama3.2\",\r\n"
                + "data: \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hel\"}}]}\r\n\r\n"
                + "data:{\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"lo\"}, \"finish_reason\": \"STOP\"}]}"
                + "\r\n\r\ndata: [DONE]\r\n\r\n");

        assertThat(answer.output("fallback", 10)).isEqualTo(new ChatCompletionOutput("Hello", List.of(),
                "stop", new TokenUsage(10, 2, 12, true), "llama3.2"));
    }

    @Test
    void toolCallsSentWholeWithoutAnIndexStayApart() throws IOException {
        ChatAnswer answer = read(event("{\"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", \"function\":"
                + " {\"name\": \"get_time\", \"arguments\": {\"zone\": \"UTC\"}}}]}")
                + event("{\"tool_calls\": [{\"id\": \"call_2\", \"type\": \"function\", \"function\":"
                + " {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\":\\\"Paris\\\"}\"}}]}")
                + "data: {\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"tool_calls\"}]}\n\n");

        assertThat(answer.output("m", 0).toolCalls()).containsExactly(
                new ToolCallRequest("call_1", "get_time", "{\"zone\":\"UTC\"}"),
                new ToolCallRequest("call_2", "get_weather", "{\"city\":\"Paris\"}"));
    }

    @Test
    void aToolCallIndexPastThoseSentMakesNoEmptyCalls() throws IOException {
        ChatAnswer answer = read(event("{\"tool_calls\": [{\"index\": 1023, \"id\": \"call_9\", \"type\": \"function\","
                + " \"function\": {\"name\": \"get_time\", \"arguments\": \"{}\"}}]}")
                + "data: {\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"tool_calls\"}],"
                + " \"error\": null}\n\n");

        assertThat(answer.output("m", 0).toolCalls()).containsExactly(new ToolCallRequest("call_9", "get_time", "{}"));
    }

    @Test
    void anAnswerThatFinishedNeedsNoDone() throws IOException {
        ChatAnswer answer = read(event("{\"content\": \"Hi\"}")
                + "data: {\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"length\"}]}");

        assertThat(answer.output("m", 0).finishReason()).isEqualTo("length");
    }

    @Test
    void aStreamThatEndsBeforeItsAnswerDidIsBroken() {
        assertThatThrownBy(() -> read(event("{\"content\": \"Hi\"}"))).isInstanceOf(EOFException.class);
    }

    @Test
    void garbageAndImpossibleIndexesAreBrokenStreams() {
        assertThatThrownBy(() -> read("data: {\"choices\": [\n\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> read(event("{\"tool_calls\": [{\"index\": 2000000000, \"function\":"
                + " {\"arguments\": \"{}\"}}]}"))).isInstanceOf(IOException.class).hasMessageContaining("index");
    }

    private static String event(String delta) {
        return "data: {\"choices\": [{\"index\": 0, \"delta\": " + delta + "}]}\n\n";
    }

    private static ChatAnswer read(String stream) throws IOException {
        ChatAnswer answer = new ChatAnswer();
        ChatEventStream.read("A server", new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), answer);
        return answer;
    }
}
