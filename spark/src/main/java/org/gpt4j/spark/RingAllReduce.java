package org.gpt4j.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.OptimizerKernels;
import org.gpt4j.train.ReplicaGroup;

/**
 * Ring allreduce over TCP (Baidu's, as in Horovod): each replica holds one socket to its right
 * neighbour and one from its left. The gradients, flattened into one array, are cut into N
 * segments; N − 1 reduce-scatter steps pass each segment around the ring, every hop adding its own
 * copy, until replica r holds the full sum of segment r + 1; N − 1 allgather steps then pass the
 * sums around verbatim. Each replica sends 2(N − 1)/N of the gradient bytes per step, whatever N.
 *
 * <p><b>Determinism.</b> Segment c is always summed along the same chain, starting at replica c
 * ((g_c + g_c+1) + g_c+2 ...), and its sum is computed once and copied to everyone: all replicas
 * end with bit-identical gradients, and a rerun with the same N with the same bits.
 *
 * <p>Segments travel in buckets of {@link #BUCKET_FLOATS}: a sender thread streams one bucket
 * while the caller receives and adds the previous one from the left, so both links stay busy.
 */
public final class RingAllReduce implements ReplicaGroup, Closeable {

    /** Floats per bucket on the wire (1 MiB). */
    static final int BUCKET_FLOATS = 1 << 18;
    private static final ValueLayout.OfFloat WIRE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int HELLO = 0x67347072; // "g4pr": a gpt4j ring peer

    /** What the ring moved: calls, bytes this replica sent, and the time spent in {@link #sum}. */
    public record Stats(long calls, long bytesSent, long nanos) {

        public double bytesPerCall() {
            return calls == 0 ? 0 : (double) bytesSent / calls;
        }

        public double secondsPerCall() {
            return calls == 0 ? 0 : nanos / 1e9 / calls;
        }
    }

    private final int rank;
    private final int size;
    private final Socket right;
    private final Socket left;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private final byte[] sendBytes = new byte[BUCKET_FLOATS * Float.BYTES];
    private final byte[] receiveBytes = new byte[BUCKET_FLOATS * Float.BYTES];
    private final float[] received = new float[BUCKET_FLOATS];
    private float[] flat = new float[0];
    private long calls;
    private long bytesSent;
    private long nanos;

    private RingAllReduce(int rank, int size, Socket right, Socket left) throws IOException {
        this.rank = rank;
        this.size = size;
        this.right = right;
        this.left = left;
        this.out = right == null ? null : new DataOutputStream(new BufferedOutputStream(right.getOutputStream(), 1 << 16));
        this.in = left == null ? null : new DataInputStream(new BufferedInputStream(left.getInputStream(), 1 << 16));
        this.sender = size == 1 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gpt4j-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /** The socket this replica's left neighbour will connect to; its address goes to the others. */
    public static ServerSocket listen(String host) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(host, 0));
        return server;
    }

    /**
     * Joins the ring: connects to the right neighbour's address (rank + 1), then accepts the left
     * one's connection on {@code server}. {@code addresses} are "host:port" by rank.
     *
     * @param timeoutMillis how long a read may wait for a neighbour (replica 0 evaluates while the
     *                      others wait) before the replica gives up and fails its task
     */
    public static RingAllReduce connect(int rank, List<String> addresses, ServerSocket server, int timeoutMillis)
            throws IOException {
        int size = addresses.size();
        if (size == 1) {
            return new RingAllReduce(0, 1, null, null);
        }
        String to = addresses.get((rank + 1) % size);
        int colon = to.lastIndexOf(':');
        Socket right = new Socket();
        right.setTcpNoDelay(true);
        right.setSendBufferSize(1 << 20);
        right.connect(new InetSocketAddress(to.substring(0, colon), Integer.parseInt(to.substring(colon + 1))),
                timeoutMillis);
        DataOutputStream hello = new DataOutputStream(right.getOutputStream());
        hello.writeInt(HELLO);
        hello.writeInt(rank);
        hello.flush();
        server.setSoTimeout(timeoutMillis);
        Socket left = server.accept();
        left.setTcpNoDelay(true);
        left.setReceiveBufferSize(1 << 20);
        left.setSoTimeout(timeoutMillis);
        DataInputStream check = new DataInputStream(left.getInputStream());
        int magic = check.readInt();
        int from = check.readInt();
        int expected = (rank + size - 1) % size;
        if (magic != HELLO || from != expected) {
            left.close();
            right.close();
            throw new IOException("replica " + rank + ": expected replica " + expected + " on " + server.getLocalSocketAddress()
                    + ", got a connection from " + left.getRemoteSocketAddress() + " saying it is replica " + from);
        }
        return new RingAllReduce(rank, size, right, left);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    public Stats stats() {
        return new Stats(calls, bytesSent, nanos);
    }

    /** Starts counting afresh (a benchmark's warm-up is not counted). */
    void resetStats() {
        calls = 0;
        bytesSent = 0;
        nanos = 0;
    }

    @Override
    public double sum(Parameters parameters, double loss) {
        if (size == 1) {
            return loss;
        }
        long t0 = System.nanoTime();
        int n = 0;
        for (ParameterSpec s : parameters.specs()) {
            n += parameters.grad(s.name()).length;
        }
        if (flat.length != n) {
            flat = new float[n];
        }
        int at = 0;
        for (ParameterSpec s : parameters.specs()) {
            float[] g = parameters.grad(s.name());
            System.arraycopy(g, 0, flat, at, g.length);
            at += g.length;
        }
        double total;
        try {
            allReduce(flat, n);
            total = sumInRankOrder(loss);
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + rank + " of " + size + ": the gradient allreduce failed (a neighbour"
                    + " is gone or timed out): " + e.getMessage(), e);
        }
        at = 0;
        for (ParameterSpec s : parameters.specs()) {
            float[] g = parameters.grad(s.name());
            System.arraycopy(flat, at, g, 0, g.length);
            at += g.length;
        }
        calls++;
        nanos += System.nanoTime() - t0;
        return total;
    }

    @Override
    public double sum(double value) {
        if (size == 1) {
            return value;
        }
        try {
            return sumInRankOrder(value);
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + rank + " of " + size + ": summing a value over the replicas failed (a"
                    + " neighbour is gone or timed out): " + e.getMessage(), e);
        }
    }

    /** Replaces x[0, n) on every replica by the sum over the replicas, bit-identical everywhere. */
    void allReduce(float[] x, int n) throws IOException {
        for (int s = 0; s < size - 1; s++) {
            exchange(x, n, Math.floorMod(rank - s, size), Math.floorMod(rank - s - 1, size), true);
        }
        for (int s = 0; s < size - 1; s++) {
            exchange(x, n, Math.floorMod(rank + 1 - s, size), Math.floorMod(rank - s, size), false);
        }
    }

    /** Sends segment {@code send} to the right while receiving segment {@code receive} from the left. */
    private void exchange(float[] x, int n, int send, int receive, boolean add) throws IOException {
        int sendFrom = segmentStart(send, n);
        int sendLength = segmentStart(send + 1, n) - sendFrom;
        Future<?> sending = sender.submit(() -> {
            write(x, sendFrom, sendLength);
            return null;
        });
        int from = segmentStart(receive, n);
        read(x, from, segmentStart(receive + 1, n) - from, add);
        try {
            sending.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to replica " + (rank + 1) % size, e);
        }
    }

    private int segmentStart(int segment, int n) {
        return (int) ((long) n * segment / size);
    }

    private void write(float[] x, int from, int length) throws IOException {
        for (int done = 0; done < length; done += BUCKET_FLOATS) {
            int k = Math.min(BUCKET_FLOATS, length - done);
            MemorySegment.copy(x, from + done, MemorySegment.ofArray(sendBytes), WIRE_FLOAT, 0, k);
            out.write(sendBytes, 0, k * Float.BYTES);
            bytesSent += (long) k * Float.BYTES;
        }
        out.flush();
    }

    private void read(float[] x, int from, int length, boolean add) throws IOException {
        for (int done = 0; done < length; done += BUCKET_FLOATS) {
            int k = Math.min(BUCKET_FLOATS, length - done);
            readFully(receiveBytes, k * Float.BYTES);
            if (add) {
                MemorySegment.copy(MemorySegment.ofArray(receiveBytes), WIRE_FLOAT, 0, received, 0, k);
                OptimizerKernels.addInto(x, from + done, received, 0, k);
            } else {
                MemorySegment.copy(MemorySegment.ofArray(receiveBytes), WIRE_FLOAT, 0, x, from + done, k);
            }
        }
    }

    /** Every replica's value passed around the ring, then added in rank order: the same double everywhere. */
    private double sumInRankOrder(double value) throws IOException {
        double[] all = new double[size];
        all[rank] = value;
        for (int s = 0; s < size - 1; s++) {
            out.writeDouble(all[Math.floorMod(rank - s, size)]);
            out.flush();
            all[Math.floorMod(rank - s - 1, size)] = in.readDouble();
        }
        double total = 0;
        for (double v : all) {
            total += v;
        }
        return total;
    }

    private void readFully(byte[] into, int length) throws IOException {
        try {
            in.readFully(into, 0, length);
        } catch (SocketTimeoutException e) {
            throw new IOException("no data from replica " + Math.floorMod(rank - 1, size) + " for "
                    + left.getSoTimeout() / 1000 + " s", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (sender != null) {
            sender.shutdownNow();
        }
        try {
            if (right != null) {
                right.close();
            }
        } finally {
            if (left != null) {
                left.close();
            }
        }
    }
}
