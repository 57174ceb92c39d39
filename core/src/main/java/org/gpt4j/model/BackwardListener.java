package org.gpt4j.model;

import java.util.List;

/**
 * Told, during a backward pass, each time the pass has finished some parameters' gradients: no
 * later part of the same backward adds to them. A backward runs from the loss to the inputs, so
 * the last layer's gradients are final long before the first layer's; data-parallel training
 * uses this to sum the finished ones over the replicas while the backward goes on (PyTorch's
 * DistributedDataParallel does the same with autograd hooks).
 */
@FunctionalInterface
public interface BackwardListener {

    /** Nobody listening. */
    BackwardListener NONE = specs -> {
    };

    /** These parameters' gradients are final for this backward. */
    void gradientsFinished(List<ParameterSpec> specs);
}
