package org.gpt4j.server.openai;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Tells whether the client of a request that is still being computed has gone away, so that a
 * non-streaming completion whose client gave up stops taking batch slots. Jetty reads nothing
 * from a connection while its request is handled, so it cannot see the close itself; this probes
 * the socket with a one-byte non-blocking read: end of stream (or a reset) means gone, nothing to
 * read means still there. HTTP/1.1 clients do not send another request before the answer to this
 * one; should one have (pipelining), the byte read is lost, so the answer then closes the
 * connection ({@link #mustClose}) and the client resends, as HTTP lets a server make it.
 */
final class ClientConnection {

    private final SocketChannel channel;
    private boolean consumed;

    private ClientConnection(SocketChannel channel) {
        this.channel = channel;
    }

    static ClientConnection of(Context ctx) {
        SocketChannel channel = null;
        try {
            EndPoint ep = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData().getConnection().getEndPoint();
            if (ep instanceof SocketChannelEndPoint s) {
                channel = s.getChannel();
            }
        } catch (RuntimeException e) {
            // Another connector (not a plain socket): no probe, the request simply runs to its end.
        }
        return new ClientConnection(channel);
    }

    /** False once the client closed or reset the connection. */
    boolean isOpen() {
        if (channel == null || consumed) {
            return true;
        }
        try {
            int n = channel.read(ByteBuffer.allocate(1));
            if (n > 0) {
                consumed = true;
            }
            return n >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when a probe read a byte of a following request: the connection must not be reused. */
    boolean mustClose() {
        return consumed;
    }
}
