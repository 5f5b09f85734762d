package dev.keiko.api.task;

import dev.keiko.api.problem.Problems;

/** Whether an event stream sends the text of abandoned model call attempts: {@code ?abandoned=include|exclude}. */
final class AbandonedText {

    private AbandonedText() {
    }

    /** True for {@code include}; false for {@code exclude} or nothing; 400 for anything else. */
    static boolean include(String abandoned) {
        if (abandoned == null || abandoned.equals("exclude")) {
            return false;
        }
        if (abandoned.equals("include")) {
            return true;
        }
        throw Problems.badRequest("The query parameter 'abandoned' must be 'include' or 'exclude'");
    }
}
