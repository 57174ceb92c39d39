package org.gpt4j.model;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.gpt4j.tensor.ActivationKernels;

/**
 * The non-linearity inside each block's feed-forward network, named as in Hugging Face's
 * {@code activation_function} field of a GPT-2 {@code config.json}.
 */
public enum Activation {
    /** GPT-2's tanh approximation of GELU (Hugging Face's {@code gelu_new}). */
    GELU_NEW("gelu_new"),
    /** The exact GELU, x * Phi(x), with the error function. */
    GELU("gelu"),
    /** max(0, x), as in the original Transformer. */
    RELU("relu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code config.json}. */
    public String configName() {
        return configName;
    }

    /** y = act(x) over n values. */
    void forward(float[] y, float[] x, int n) {
        switch (this) {
            case GELU_NEW -> ActivationKernels.geluTanhForward(y, x, n);
            case GELU -> ActivationKernels.geluForward(y, x, n);
            case RELU -> ActivationKernels.reluForward(y, x, n);
        }
    }

    /** dx += dy * act'(x), for the pre-activation x of the forward. */
    void backward(float[] dx, float[] dy, float[] x, int n) {
        switch (this) {
            case GELU_NEW -> ActivationKernels.geluTanhBackward(dx, dy, x, n);
            case GELU -> ActivationKernels.geluBackward(dx, dy, x, n);
            case RELU -> ActivationKernels.reluBackward(dx, dy, x, n);
        }
    }

    /** Parses a {@code config.json} name; Hugging Face's aliases {@code gelu_pytorch_tanh} map to gelu_new. */
    public static Activation fromConfigName(String name) {
        if ("gelu_pytorch_tanh".equals(name) || "gelu_fast".equals(name)) {
            return GELU_NEW;
        }
        for (Activation a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation_function '" + name + "' (expected one of "
                + Arrays.stream(values()).map(Activation::configName).collect(Collectors.joining(", ")) + ")");
    }
}
