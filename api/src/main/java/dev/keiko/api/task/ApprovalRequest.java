package dev.keiko.api.task;

import com.fasterxml.jackson.annotation.JsonAlias;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/tasks/{id}/approvals}.
 *
 * @param approvalId the waiting approval's id, as the task's progress shows it ({@code step<model call>-<tool call>});
 *     {@code toolCallId}, its name before approval ids existed, is still read
 * @param decision {@code approve} or {@code reject}
 * @param comment why, optional; a rejection's comment goes back to the model
 */
public record ApprovalRequest(
        @JsonAlias("toolCallId") @NotBlank @Size(max = MAX_ID) String approvalId,
        @NotBlank @Pattern(regexp = "approve|reject", message = "must be approve or reject") String decision,
        @Size(max = MAX_COMMENT) String comment) {

    static final int MAX_ID = 128;
    static final int MAX_COMMENT = 2000;
}
