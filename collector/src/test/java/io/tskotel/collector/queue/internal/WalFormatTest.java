package io.tskotel.collector.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record written in two parts (header, payload in place) is the very record {@code encode} lays out. */
class WalFormatTest {
  @TempDir Path dir;

  @Test
  void write_sameBytesAsEncode_andReadsBack() throws Exception {
    byte[] payload = "a queued request".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = dir.resolve("segment");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      WalFormat.write(channel, 0, 7, payload);

      ByteBuffer encoded = WalFormat.encode(7, payload);
      assertThat(Files.readAllBytes(file)).isEqualTo(encoded.array());
      WalFormat.Scan scan = WalFormat.read(channel, 0, channel.size(), 6);
      assertThat(scan.kind()).isEqualTo(WalFormat.Scan.Kind.RECORD);
      assertThat(scan.seq()).isEqualTo(7);
      assertThat(scan.payload()).isEqualTo(payload);
      assertThat(scan.next()).isEqualTo(channel.size());
    }
  }

  @Test
  void read_payloadTornAfterTheHeader_isCorrupt() throws Exception {
    byte[] payload = new byte[1000];
    java.util.Arrays.fill(payload, (byte) 42);
    Path file = dir.resolve("segment");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      WalFormat.write(channel, 0, 1, payload);
      // A crash between the two writes: the header is there, the payload only zeros.
      channel.write(ByteBuffer.allocate(payload.length), WalFormat.RECORD_HEADER_BYTES);

      assertThat(WalFormat.read(channel, 0, channel.size(), 0).kind()).isEqualTo(WalFormat.Scan.Kind.CORRUPT);
    }
  }
}
