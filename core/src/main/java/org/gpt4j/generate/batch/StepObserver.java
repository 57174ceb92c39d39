package org.gpt4j.generate.batch;

/** Told about the engine's work, for metrics; called on the engine thread, must return quickly. */
public interface StepObserver {

    /** One decoding step ran over {@code batch} sequences in {@code nanos} (sampling and forward). */
    void onStep(int batch, long nanos);

    /** A prompt of {@code tokens} tokens was read (prefill) in {@code nanos}. */
    void onPrefill(int tokens, long nanos);

    StepObserver NONE = new StepObserver() {
        @Override
        public void onStep(int batch, long nanos) {
        }

        @Override
        public void onPrefill(int tokens, long nanos) {
        }
    };
}
