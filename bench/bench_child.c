/* The benchmark's child: a static program that does nothing and exits 0.
 *
 * Built once against musl (the guest build: a static, non-PIE ELF64 at
 * 0x400000 over raw Linux system calls), and that same binary is the
 * child on both systems, so both kernels load and start identical bytes. */
int main(void) {
    return 0;
}
