/*
 * No libc: walks the initial stack the kernel built (argc, then argv
 * pointers) and writes each argument on its own line, then exits with argc
 * as the status. Checks the stack layout before any libc start-up runs.
 */
        .globl _start
        .text
_start:
        mov     (%rsp), %r12            /* argc */
        lea     8(%rsp), %r13           /* &argv[0] */
        xor     %r14d, %r14d            /* index */
next_arg:
        cmp     %r12, %r14
        jae     done
        mov     (%r13,%r14,8), %rsi     /* argv[i] */

        /* Length of the string, counted by hand. */
        xor     %edx, %edx
count:
        cmpb    $0, (%rsi,%rdx)
        je      counted
        inc     %rdx
        jmp     count
counted:
        mov     $1, %eax                /* write(1, argv[i], len) */
        mov     $1, %edi
        syscall

        mov     $1, %eax                /* write(1, "\n", 1) */
        mov     $1, %edi
        lea     newline(%rip), %rsi
        mov     $1, %edx
        syscall

        inc     %r14
        jmp     next_arg
done:
        mov     $231, %eax              /* exit_group(argc) */
        mov     %r12d, %edi
        syscall
        hlt

        .section .rodata
newline:
        .ascii  "\n"
        .section .note.GNU-stack, "", @progbits
