package dev.keiko.domain.budget;

/** What a {@link ReservationRequest} got. */
public sealed interface Reservation {

    /**
     * The attempt may call the model.
     *
     * @param tokens what it reserved of its owner's daily budget; 0 when the owner has none
     */
    record Reserved(long tokens) implements Reservation {

        /** Whether the owner has a daily budget, so that the answer must stay within the reservation. */
        public boolean limited() {
            return tokens > 0;
        }
    }

    /** Too little is left of the owner's daily budget for the call; nothing was reserved. */
    record Refused(long dailyTokenBudget, long chargedToday) implements Reservation {
    }

    /** The task has no row in the read model. */
    record UnknownTask() implements Reservation {
    }
}
