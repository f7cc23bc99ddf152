/*
 * No libc, no output: exits with status 42 through the plain exit system
 * call (not exit_group), to check the status reaches the parent.
 */
        .globl _start
        .text
_start:
        mov     $60, %eax               /* exit */
        mov     $42, %edi
        syscall
        hlt                             /* never reached */
        .section .note.GNU-stack, "", @progbits
