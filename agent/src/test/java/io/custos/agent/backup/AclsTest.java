package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** POSIX ACLs between the kernel's binary form and GNU tar's text form. */
class AclsTest {

  /** The binary ACL and text GNU tar 1.34 stored for {@code setfacl -m u:1234:rw,g:4321:r}. */
  private static final byte[] GNU_BINARY =
      HexFormat.of()
          .parseHex(
              "02000000"
                  + "01000600ffffffff"
                  + "02000600d2040000"
                  + "04000400ffffffff"
                  + "08000400e1100000"
                  + "10000600ffffffff"
                  + "20000400ffffffff");

  private static final String GNU_TEXT =
      "user::rw-\nuser:1234:rw-\ngroup::r--\ngroup:4321:r--\nmask::rw-\nother::r--\n";

  @Test
  void binaryToTextAsGnuTarWritesIt() {
    assertThat(Acls.toText(GNU_BINARY)).isEqualTo(GNU_TEXT);
  }

  @Test
  void textToBinaryAsTheKernelKeepsIt() {
    assertThat(Acls.fromText(GNU_TEXT, n -> -1)).isEqualTo(GNU_BINARY);
    assertThat(Acls.fromText("o::r--,g:4321:r,m::rw,u::rw,u:1234:rw-,g::r", n -> -1))
        .isEqualTo(GNU_BINARY);
  }

  @Test
  void namesResolveCommentsAreIgnored() {
    String text = "user::rw-\nuser:alice:rw-\t#effective:r--\ngroup::r--\nmask::r--\nother::---\n";
    byte[] b = Acls.fromText(text, n -> n.equals("u:alice") ? 1234 : -1);
    assertThat(Acls.toText(b)).contains("user:1234:rw-");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> Acls.fromText("user:nobody-here:rw-", n -> -1))
        .hasMessageContaining("'user:nobody-here:rw-'")
        .hasMessageContaining("unknown name 'nobody-here'");
    assertThatThrownBy(() -> Acls.fromText("wheel::rw-", n -> -1))
        .hasMessageContaining("unknown tag 'wheel'");
    assertThatThrownBy(() -> Acls.toText(new byte[] {1, 0, 0, 0}))
        .hasMessageContaining("not a POSIX ACL");
  }
}
