/* recover - error recovery with setjmp/longjmp through nested calls, as
 * a small expression parser does it. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf on_error;
static const char *pos;

static long expr(void);

static void fail(const char *why)
{
    printf("error at \"%s\": %s\n", pos, why);
    longjmp(on_error, 1);
}

static long number(void)
{
    if (*pos == '(') {
        pos++;
        long v = expr();
        if (*pos != ')')
            fail("missing )");
        pos++;
        return v;
    }
    if (*pos < '0' || *pos > '9')
        fail("number expected");
    long v = 0;
    while (*pos >= '0' && *pos <= '9')
        v = v * 10 + (*pos++ - '0');
    return v;
}

static long term(void)
{
    long v = number();
    while (*pos == '*' || *pos == '/') {
        char op = *pos++;
        long r = number();
        if (op == '/' && r == 0)
            fail("division by zero");
        v = op == '*' ? v * r : v / r;
    }
    return v;
}

static long expr(void)
{
    long v = term();
    while (*pos == '+' || *pos == '-') {
        char op = *pos++;
        long r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

/* Evaluates one input; 1 if it had an error. */
static int evaluate(const char *input)
{
    pos = input;
    if (setjmp(on_error) != 0)
        return 1;
    long v = expr();
    if (*pos != '\0')
        fail("trailing input");
    printf("%s = %ld\n", input, v);
    return 0;
}

int main(void)
{
    const char *inputs[] = {"1+2*3", "(1+2)*3", "8/(4-4)", "2*(3+", "x", "100-1-1"};
    int errors = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        errors += evaluate(inputs[i]);
    printf("%d errors\n", errors);
    return 0;
}
