package dev.keiko.api.task;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/v1/tasks/{id}/approvals}. */
public record ApprovalRequest(
        @NotBlank @Size(max = 200) String toolCallId,
        @NotBlank @Pattern(regexp = "approve|reject", message = "must be approve or reject") String decision,
        @Size(max = 2000) String comment) {
}
