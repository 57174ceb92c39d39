/**
 * Data-parallel training on Apache Spark: {@code train --spark MASTER --workers N}.
 *
 * <p>The driver ({@link org.gpt4j.spark.SparkTraining}) prepares the run directory as {@code train}
 * does and runs one barrier stage of N {@link org.gpt4j.spark.ReplicaTask}s, each a replica joined
 * to the others by a {@link org.gpt4j.spark.RingAllReduce}; its {@link org.gpt4j.spark.GradientReducer}
 * sums the gradients over the ring in buckets, each as soon as the backward pass has finished it.
 *
 * <p>The rules that keep a run on N replicas the run of one process:
 * <ul>
 * <li><b>Which micro-batches.</b> Of step s's micro-batches 0 .. A·N − 1, replica r computes
 * r·A .. (r+1)·A − 1 (with their dropout masks), each scaled by 1/(A·N): the gradients summed over
 * the replicas are one process's with {@code --grad-accum A·N}, summed in another order.</li>
 * <li><b>Identical replicas.</b> The buckets depend only on the model, never on timing, and the ring
 * sums each segment of a bucket along a fixed chain and copies the result, so every replica clips
 * and steps with the same bits and the weights never drift apart; no replica ever needs the
 * others' weights.</li>
 * <li><b>One writer.</b> Replica 0 alone evaluates and writes metrics, checkpoints and samples; a
 * failed stage restarts every replica from the checkpoint it wrote.</li>
 * </ul>
 */
package org.gpt4j.spark;
