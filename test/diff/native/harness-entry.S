/*
 * Entry and exit paths of the differential harness.
 *
 * amber_enter switches from the host's state to a guest case's state and
 * jumps to the case's code; the code page ends with an absolute jump to
 * amber_exit, which records every register and returns to amber_enter's
 * caller as if amber_enter had returned normally.
 *
 * Order matters on the way in: the FXSAVE image is loaded first (it needs
 * no register), then RFLAGS through the host stack (popfq), then the GPRs
 * with plain moves (which leave flags alone), rsp next to last and the
 * register that held the state pointer last. On the way out the GPRs are
 * stored with RIP-relative moves before anything can change them, and
 * RFLAGS is read with pushfq on a scratch stack of our own, never on the
 * guest's stack.
 */
        .intel_syntax noprefix
        .text

        .globl amber_enter
        .type amber_enter, @function
amber_enter:
        push rbp
        push rbx
        push r12
        push r13
        push r14
        push r15
        mov [rip + amber_host_rsp], rsp
        fxsave [rip + amber_host_fx]

        fxrstor [rip + amber_in_fx]
        push qword ptr [rip + amber_in_flags]
        popfq

        lea rax, [rip + amber_in_gpr]
        mov rcx, [rax + 8]
        mov rdx, [rax + 16]
        mov rbx, [rax + 24]
        mov rbp, [rax + 40]
        mov rsi, [rax + 48]
        mov rdi, [rax + 56]
        mov r8, [rax + 64]
        mov r9, [rax + 72]
        mov r10, [rax + 80]
        mov r11, [rax + 88]
        mov r12, [rax + 96]
        mov r13, [rax + 104]
        mov r14, [rax + 112]
        mov r15, [rax + 120]
        mov rsp, [rax + 32]
        mov rax, [rax]
        jmp qword ptr [rip + amber_code_addr]
        .size amber_enter, . - amber_enter

        .globl amber_exit
        .type amber_exit, @function
amber_exit:
        mov [rip + amber_out_gpr + 0], rax
        mov [rip + amber_out_gpr + 8], rcx
        mov [rip + amber_out_gpr + 16], rdx
        mov [rip + amber_out_gpr + 24], rbx
        mov [rip + amber_out_gpr + 32], rsp
        mov [rip + amber_out_gpr + 40], rbp
        mov [rip + amber_out_gpr + 48], rsi
        mov [rip + amber_out_gpr + 56], rdi
        mov [rip + amber_out_gpr + 64], r8
        mov [rip + amber_out_gpr + 72], r9
        mov [rip + amber_out_gpr + 80], r10
        mov [rip + amber_out_gpr + 88], r11
        mov [rip + amber_out_gpr + 96], r12
        mov [rip + amber_out_gpr + 104], r13
        mov [rip + amber_out_gpr + 112], r14
        mov [rip + amber_out_gpr + 120], r15

        /* lea changes no flag, so pushfq still sees the guest's RFLAGS. */
        lea rsp, [rip + amber_scratch_top]
        pushfq
        pop qword ptr [rip + amber_out_flags]
        fxsave [rip + amber_out_fx]

        /* Back to the host: its x87/SSE state, DF clear, its stack. */
        fxrstor [rip + amber_host_fx]
        cld
        mov rsp, [rip + amber_host_rsp]
        pop r15
        pop r14
        pop r13
        pop r12
        pop rbx
        pop rbp
        ret
        .size amber_exit, . - amber_exit

        .bss
        .align 64
        .globl amber_in_fx, amber_out_fx, amber_host_fx
amber_in_fx:    .zero 512
amber_out_fx:   .zero 512
amber_host_fx:  .zero 512
        .globl amber_in_gpr, amber_out_gpr, amber_in_flags, amber_out_flags
amber_in_gpr:   .zero 128
amber_out_gpr:  .zero 128
amber_in_flags: .zero 8
amber_out_flags: .zero 8
amber_host_rsp: .zero 8
        .align 16
amber_scratch:  .zero 256
amber_scratch_top:

        .data
        .globl amber_code_addr
amber_code_addr: .quad 0x7f0000000

        .section .note.GNU-stack,"",@progbits
