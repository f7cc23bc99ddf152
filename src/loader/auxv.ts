// Auxiliary vector entry types, as numbered in Linux's
// include/uapi/linux/auxvec.h and arch/x86/include/uapi/asm/auxvec.h.

/** Ends the vector. */
export const AT_NULL = 0;
/** Address of the program headers. */
export const AT_PHDR = 3;
/** Size of one program header. */
export const AT_PHENT = 4;
/** Number of program headers. */
export const AT_PHNUM = 5;
/** Page size. */
export const AT_PAGESZ = 6;
/** Load address of the interpreter; 0 for a static program. */
export const AT_BASE = 7;
/** Flags; always 0 on x86-64. */
export const AT_FLAGS = 8;
/** Program entry point. */
export const AT_ENTRY = 9;
/** Real user id. */
export const AT_UID = 11;
/** Effective user id. */
export const AT_EUID = 12;
/** Real group id. */
export const AT_GID = 13;
/** Effective group id. */
export const AT_EGID = 14;
/** Address of the platform string ("x86_64"). */
export const AT_PLATFORM = 15;
/** CPUID feature bits (edx of leaf 1). */
export const AT_HWCAP = 16;
/** Frequency of times(), in ticks per second. */
export const AT_CLKTCK = 17;
/** Non-zero when the program runs set-uid or with extra capabilities. */
export const AT_SECURE = 23;
/** Address of 16 random bytes (stack protector and pointer guard seeds). */
export const AT_RANDOM = 25;
/** More feature bits (x86: ring-3 MONITOR/MWAIT, FSGSBASE). */
export const AT_HWCAP2 = 26;
/** Size of the rseq area the kernel supports (Linux 6.3+). */
export const AT_RSEQ_FEATURE_SIZE = 27;
/** Alignment the kernel requires of the rseq area (Linux 6.3+). */
export const AT_RSEQ_ALIGN = 28;
/** Address of the file name the program was executed as. */
export const AT_EXECFN = 31;
/** Address of the vDSO's ELF header. */
export const AT_SYSINFO_EHDR = 33;
/** Smallest signal stack the kernel's signal frame fits in. */
export const AT_MINSIGSTKSZ = 51;
