package org.gpt4j.train;

/** The loss or the gradients stopped being finite numbers: the run stops, keeping its last good checkpoint. */
public final class TrainingDivergedException extends IllegalStateException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
