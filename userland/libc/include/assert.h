/* assert.h - assert prints the failed expression and aborts. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
__attribute__((__noreturn__)) void __assert_fail(const char *expr,
                                                 const char *file, int line,
                                                 const char *func);
#define assert(e)                                                              \
    ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && defined(__STDC_VERSION__) &&                     \
    __STDC_VERSION__ >= 201112L && __STDC_VERSION__ < 202311L
#define static_assert _Static_assert
#endif
