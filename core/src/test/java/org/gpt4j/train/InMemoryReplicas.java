package org.gpt4j.train;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;

/**
 * N replicas in one JVM, each on its own thread: the tests' stand-in for the Spark module's ring
 * allreduce. Every sum is taken in rank order by every replica alike, so all get the same numbers.
 */
final class InMemoryReplicas {

    private final int size;
    private final CyclicBarrier barrier;
    private final float[][] grads;
    private final double[] values;

    InMemoryReplicas(int size) {
        this.size = size;
        this.barrier = new CyclicBarrier(size);
        this.grads = new float[size][];
        this.values = new double[size];
    }

    ReplicaGroup member(int rank) {
        return new ReplicaGroup() {
            @Override
            public int rank() {
                return rank;
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public double sum(Parameters parameters, double loss) {
                grads[rank] = flatten(parameters);
                double total = sum(loss);
                float[] summed = new float[grads[rank].length];
                for (int i = 0; i < summed.length; i++) {
                    float s = 0;
                    for (int r = 0; r < size; r++) {
                        s += grads[r][i];
                    }
                    summed[i] = s;
                }
                await();   // everyone has read every gradient
                int at = 0;
                for (ParameterSpec spec : parameters.specs()) {
                    float[] g = parameters.grad(spec.name());
                    System.arraycopy(summed, at, g, 0, g.length);
                    at += g.length;
                }
                return total;
            }

            @Override
            public double sum(double value) {
                values[rank] = value;
                await();
                double total = 0;
                for (double v : values) {
                    total += v;
                }
                await();   // everyone has read every value before the next sum writes one
                return total;
            }
        };
    }

    private static float[] flatten(Parameters p) {
        int n = 0;
        for (ParameterSpec s : p.specs()) {
            n += p.grad(s.name()).length;
        }
        float[] out = new float[n];
        int at = 0;
        for (ParameterSpec s : p.specs()) {
            float[] g = p.grad(s.name());
            System.arraycopy(g, 0, out, at, g.length);
            at += g.length;
        }
        return out;
    }

    private void await() {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException("a replica failed", e);
        }
    }
}
