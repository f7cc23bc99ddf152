/*
 * No libc: writes one line to standard output with the write system call and
 * leaves with exit_group(0). The first program to run on a new kernel.
 */
        .globl _start
        .text
_start:
        mov     $1, %eax                /* write */
        mov     $1, %edi                /* fd 1 */
        lea     message(%rip), %rsi
        mov     $message_end - message, %edx
        syscall

        mov     $231, %eax              /* exit_group */
        xor     %edi, %edi
        syscall
        hlt                             /* never reached */

        .section .rodata
message:
        .ascii  "hello from raw syscalls\n"
message_end:
        .section .note.GNU-stack, "", @progbits
