package org.sessionbridge.config.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies that do not declare their length (chunked uploads): reading past the limit
 * fails, and the API answers 413. Declared lengths are refused earlier by {@link
 * ApiAuthInterceptor}.
 */
final class BodySizeLimit extends OncePerRequestFilter {

  private final int maxBytes;

  BodySizeLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new Limited(request, maxBytes), response);
  }

  /** Thrown while reading past the limit; the problem handler finds it in the cause chain. */
  static final class TooLarge extends IOException {
    final int limit;

    TooLarge(int limit) {
      super("request body exceeds " + limit + " bytes");
      this.limit = limit;
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final int maxBytes;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, int maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), maxBytes);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final int maxBytes;
    private long read;

    Counting(ServletInputStream in, int maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      int n = in.read(buffer, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > maxBytes) {
        throw new TooLarge(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
