/*
 * arith.c - arithmetic expansion $((...)) (XCU 2.6.4): signed long
 * integers; numbers (decimal, 0x hex, 0 octal), variable names,
 * parentheses, unary + - ! ~, * / %, + -, << >>, < <= > >=, == !=,
 * &, ^, |, &&, ||, ?:. Assignment operators are not supported.
 */
#include "sh.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct arith {
    const char *s;
};

static long ternary(struct arith *a);

static void skip_space(struct arith *a)
{
    while (isspace((unsigned char)*a->s))
        a->s++;
}

static long primary(struct arith *a)
{
    skip_space(a);
    char c = *a->s;
    if (c == '(') {
        a->s++;
        long v = ternary(a);
        skip_space(a);
        if (*a->s != ')')
            sh_abort("arithmetic expression: expecting ')'");
        a->s++;
        return v;
    }
    if (c == '-' || c == '+' || c == '!' || c == '~') {
        a->s++;
        long v = primary(a);
        return c == '-' ? -v : c == '+' ? v : c == '!' ? !v : ~v;
    }
    if (isdigit((unsigned char)c)) {
        char *end;
        long v = strtol(a->s, &end, 0);
        a->s = end;
        return v;
    }
    if (var_is_name(a->s, 1)) {
        size_t n = 1;
        while (var_is_name(a->s, n + 1))
            n++;
        char *name = xstrndup(a->s, n);
        a->s += n;
        const char *v = var_get(name);
        free(name);
        if (v == NULL || *v == '\0')
            return 0;
        struct arith inner = {v};
        return ternary(&inner);
    }
    sh_abort("arithmetic expression: syntax error");
}

/* Binary operators by precedence, lowest first. */
static const char *const levels[][5] = {
    {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="},
    {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
};
#define LEVELS ((int)(sizeof levels / sizeof levels[0]))

static const char *match_op(struct arith *a, int level)
{
    skip_space(a);
    for (int i = 0; i < 5 && levels[level][i]; i++) {
        const char *op = levels[level][i];
        size_t n = strlen(op);
        if (strncmp(a->s, op, n) != 0)
            continue;
        /* "|" is not "||", "&" not "&&", "<" not "<<". */
        if (n == 1 && (a->s[1] == op[0] || (op[0] != '<' && op[0] != '>' &&
                                              a->s[1] == '=' && op[0] != '=')))
            continue;
        return op;
    }
    return NULL;
}

static long binary(struct arith *a, int level)
{
    if (level == LEVELS)
        return primary(a);
    long left = binary(a, level + 1);
    const char *op;
    while ((op = match_op(a, level)) != NULL) {
        a->s += strlen(op);
        long right = binary(a, level + 1);
        if ((op[0] == '/' || op[0] == '%') && right == 0)
            sh_abort("arithmetic expression: division by zero");
        if (!strcmp(op, "||")) left = left || right;
        else if (!strcmp(op, "&&")) left = left && right;
        else if (!strcmp(op, "|")) left |= right;
        else if (!strcmp(op, "^")) left ^= right;
        else if (!strcmp(op, "&")) left &= right;
        else if (!strcmp(op, "==")) left = left == right;
        else if (!strcmp(op, "!=")) left = left != right;
        else if (!strcmp(op, "<=")) left = left <= right;
        else if (!strcmp(op, ">=")) left = left >= right;
        else if (!strcmp(op, "<")) left = left < right;
        else if (!strcmp(op, ">")) left = left > right;
        else if (!strcmp(op, "<<")) left <<= right;
        else if (!strcmp(op, ">>")) left >>= right;
        else if (!strcmp(op, "+")) left += right;
        else if (!strcmp(op, "-")) left -= right;
        else if (!strcmp(op, "*")) left *= right;
        else if (!strcmp(op, "/")) left /= right;
        else left %= right;
    }
    return left;
}

static long ternary(struct arith *a)
{
    long cond = binary(a, 0);
    skip_space(a);
    if (*a->s != '?')
        return cond;
    a->s++;
    long yes = ternary(a);
    skip_space(a);
    if (*a->s != ':')
        sh_abort("arithmetic expression: expecting ':'");
    a->s++;
    long no = ternary(a);
    return cond ? yes : no;
}

long arith_eval(const char *expr)
{
    struct arith a = {expr};
    long v = ternary(&a);
    skip_space(&a);
    if (*a.s != '\0')
        sh_abort("arithmetic expression: syntax error: \"%s\"", expr);
    return v;
}
