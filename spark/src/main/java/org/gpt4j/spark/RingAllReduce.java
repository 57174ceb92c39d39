package org.gpt4j.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
import org.gpt4j.tensor.OptimizerKernels;

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
 * <p>Segments travel in chunks of {@link #CHUNK_FLOATS}: a sender thread streams one chunk
 * while the caller receives and adds the previous one from the left, so both links stay busy.
 *
 * <p>This is the transport; {@link GradientReducer} decides what to sum and when (the model's
 * gradients in buckets, as the backward pass finishes them). Calls must not overlap.
 */
public final class RingAllReduce implements Closeable {

    /** Floats per chunk on the wire (1 MiB). */
    static final int CHUNK_FLOATS = 1 << 18;
    private static final ValueLayout.OfFloat WIRE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int HELLO = 0x67347072; // "g4pr": a gpt4j ring peer

    private final int rank;
    private final int size;
    private final Socket right;
    private final Socket left;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private final byte[] sendBytes = new byte[CHUNK_FLOATS * Float.BYTES];
    private final byte[] receiveBytes = new byte[CHUNK_FLOATS * Float.BYTES];
    private final float[] received = new float[CHUNK_FLOATS];
    private volatile long bytesSent;
    private volatile long nanos;

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

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** The bytes this replica has sent so far. */
    long bytesSent() {
        return bytesSent;
    }

    /** The time spent in {@link #allReduce} so far. */
    long nanos() {
        return nanos;
    }

    /**
     * The sum of {@code value} over the replicas (in rank order), the same double on every
     * replica: every replica's value is passed around the ring, then all are added in rank order.
     */
    double sum(double value) throws IOException {
        if (size == 1) {
            return value;
        }
        double[] all = new double[size];
        all[rank] = value;
        for (int s = 0; s < size - 1; s++) {
            out.writeDouble(all[Math.floorMod(rank - s, size)]);
            out.flush();
            all[Math.floorMod(rank - s - 1, size)] = readDouble();
        }
        double total = 0;
        for (double v : all) {
            total += v;
        }
        return total;
    }

    /** Replaces x[0, n) on every replica by the sum over the replicas, bit-identical everywhere. */
    void allReduce(float[] x, int n) throws IOException {
        long t0 = System.nanoTime();
        for (int s = 0; s < size - 1; s++) {
            exchange(x, n, Math.floorMod(rank - s, size), Math.floorMod(rank - s - 1, size), true);
        }
        for (int s = 0; s < size - 1; s++) {
            exchange(x, n, Math.floorMod(rank + 1 - s, size), Math.floorMod(rank - s, size), false);
        }
        nanos += System.nanoTime() - t0;
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
        for (int done = 0; done < length; done += CHUNK_FLOATS) {
            int k = Math.min(CHUNK_FLOATS, length - done);
            MemorySegment.copy(x, from + done, MemorySegment.ofArray(sendBytes), WIRE_FLOAT, 0, k);
            out.write(sendBytes, 0, k * Float.BYTES);
            bytesSent += (long) k * Float.BYTES;
        }
        out.flush();
    }

    private void read(float[] x, int from, int length, boolean add) throws IOException {
        for (int done = 0; done < length; done += CHUNK_FLOATS) {
            int k = Math.min(CHUNK_FLOATS, length - done);
            readFully(receiveBytes, k * Float.BYTES);
            if (add) {
                MemorySegment.copy(MemorySegment.ofArray(receiveBytes), WIRE_FLOAT, 0, received, 0, k);
                OptimizerKernels.addInto(x, from + done, received, 0, k);
            } else {
                MemorySegment.copy(MemorySegment.ofArray(receiveBytes), WIRE_FLOAT, 0, x, from + done, k);
            }
        }
    }

    private void readFully(byte[] into, int length) throws IOException {
        try {
            in.readFully(into, 0, length);
        } catch (SocketTimeoutException e) {
            throw silent(e);
        }
    }

    private double readDouble() throws IOException {
        try {
            return in.readDouble();
        } catch (SocketTimeoutException e) {
            throw silent(e);
        }
    }

    private IOException silent(SocketTimeoutException e) throws IOException {
        return new IOException("no data from replica " + Math.floorMod(rank - 1, size) + " for "
                + left.getSoTimeout() / 1000 + " s", e);
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
