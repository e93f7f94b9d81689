/*
 * expand.c - word expansion (XCU 2.6): tilde, parameter, command and
 * arithmetic expansion, field splitting, pathname expansion (musl's
 * glob), quote removal.
 *
 * A word is walked once. Each field is built twice: its value, and its
 * pattern (the value with quoted *, ?, [ and \ escaped) for glob and
 * fnmatch, so quoted characters never match as patterns.
 */
#include "sh.h"

#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum mode { SPLIT, STRING, PATTERN, HEREDOC };

struct expander {
    enum mode mode;
    struct strv *out;
    struct buf value, pattern;
    int active;   /* the current field exists (even if empty) */
    int has_glob; /* an unquoted pattern character */
};

static int is_glob_char(char c)
{
    return c == '*' || c == '?' || c == '[';
}

static void add_quoted(struct expander *e, char c)
{
    buf_add(&e->value, c);
    if (is_glob_char(c) || c == '\\')
        buf_add(&e->pattern, '\\');
    buf_add(&e->pattern, c);
    e->active = 1;
}

static void add_unquoted(struct expander *e, char c)
{
    buf_add(&e->value, c);
    buf_add(&e->pattern, c);
    if (is_glob_char(c))
        e->has_glob = 1;
    e->active = 1;
}

static void end_field(struct expander *e)
{
    if (!e->active)
        return;
    char *value = buf_take(&e->value);
    char *pattern = buf_take(&e->pattern);
    if (e->mode == SPLIT && e->has_glob) {
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++)
                strv_add(e->out, xstrdup(g.gl_pathv[i]));
            globfree(&g);
            free(value);
            free(pattern);
            e->active = e->has_glob = 0;
            return;
        }
    }
    if (e->mode == PATTERN) {
        strv_add(e->out, pattern);
        free(value);
    } else {
        strv_add(e->out, value);
        free(pattern);
    }
    e->active = e->has_glob = 0;
}

/* The result of an expansion: split on IFS when unquoted in SPLIT mode. */
static void add_expansion(struct expander *e, const char *s, int quoted)
{
    if (quoted || e->mode != SPLIT) {
        for (; *s; s++)
            if (quoted || e->mode == HEREDOC)
                add_quoted(e, *s);
            else
                add_unquoted(e, *s);
        return;
    }
    const char *ifs = var_get("IFS");
    if (ifs == NULL)
        ifs = " \t\n";
    for (; *s; s++) {
        if (strchr(ifs, *s) == NULL) {
            add_unquoted(e, *s);
        } else if (*s == ' ' || *s == '\t' || *s == '\n') {
            end_field(e);
        } else {
            e->active = 1;
            end_field(e);
        }
    }
}

static void expand_into(struct expander *e, const char *w, size_t len, int dq);

/* Expands a piece of text into one string (the word of ${x-word}). */
static char *expand_piece(const char *w, size_t len, enum mode mode)
{
    struct strv out = {0};
    struct expander e = {.mode = mode, .out = &out};
    expand_into(&e, w, len, 0);
    end_field(&e);
    char *s = out.n ? out.v[0] : xstrdup("");
    for (int i = 1; i < out.n; i++)
        free(out.v[i]);
    free(out.v);
    return s;
}

static char *number(long n)
{
    char tmp[NUMBER_BYTES];
    snprintf(tmp, sizeof tmp, "%ld", n);
    return xstrdup(tmp);
}

/* The value of a parameter; NULL when unset. Fresh string. */
static char *param_value(const char *name, size_t len)
{
    char c = name[0];
    if (len == 1 && c == '?')
        return number(sh.status);
    if (len == 1 && c == '$')
        return number(sh.pid);
    if (len == 1 && c == '#')
        return number(sh.params.n);
    if (len == 1 && c == '!')
        return sh.last_bg ? number(sh.last_bg) : NULL;
    if (len == 1 && c == '-')
        return xstrdup(sh.interactive ? "i" : "");
    if (len == 1 && (c == '@' || c == '*')) {
        const char *ifs = var_get("IFS");
        struct buf b = {0};
        for (int i = 0; i < sh.params.n; i++) {
            if (i > 0 && (ifs == NULL || *ifs))
                buf_add(&b, ifs ? *ifs : ' ');
            buf_adds(&b, sh.params.v[i]);
        }
        return buf_take(&b);
    }
    if (c >= '0' && c <= '9') {
        int n = atoi(name);
        if (n == 0)
            return xstrdup(sh.arg0);
        return n <= sh.params.n ? xstrdup(sh.params.v[n - 1]) : NULL;
    }
    char *key = xstrndup(name, len);
    const char *v = var_get(key);
    free(key);
    return v ? xstrdup(v) : NULL;
}

/* The length of the parameter name at s (after '$' or '${'). */
static size_t param_name_len(const char *s, int braced)
{
    if (s[0] == '\0')
        return 0;
    if (strchr("?$#!-@*", s[0]))
        return 1;
    if (s[0] >= '0' && s[0] <= '9') {
        size_t n = 1;
        if (braced)
            while (s[n] >= '0' && s[n] <= '9')
                n++;
        return n;
    }
    size_t n = 0;
    while (var_is_name(s, n + 1))
        n++;
    return n;
}

/* "$@": one field per parameter. */
static void add_all_params(struct expander *e)
{
    for (int i = 0; i < sh.params.n; i++) {
        if (i > 0)
            end_field(e);
        add_expansion(e, sh.params.v[i], 1);
        e->active = 1;
    }
}

/* ${#x}, ${x#p}, ${x%p} and friends: the value with a pattern removed. */
static char *remove_pattern(const char *value, const char *pat, int suffix,
                            int longest)
{
    size_t len = strlen(value);
    char *s = xstrdup(value);
    for (size_t k = 0; k <= len; k++) {
        size_t cut = longest ? len - k : k;
        if (!suffix) {
            char saved = s[cut];
            s[cut] = '\0';
            int match = fnmatch(pat, s, 0) == 0;
            s[cut] = saved;
            if (match) {
                char *r = xstrdup(value + cut);
                free(s);
                return r;
            }
        } else {
            size_t from = len - cut;
            if (fnmatch(pat, value + from, 0) == 0) {
                s[from] = '\0';
                return s;
            }
        }
    }
    return s;
}

/* ${...} starting after "${"; returns the index just past '}'. */
static size_t expand_braced(struct expander *e, const char *w, size_t len,
                            size_t i, int dq)
{
    int length_of = 0;
    if (w[i] == '#' && i + 1 < len && w[i + 1] != '}') {
        length_of = 1;
        i++;
    }
    size_t n = param_name_len(w + i, 1);
    if (n == 0)
        sh_abort("bad substitution");
    const char *name = w + i;
    i += n;
    /* The operator and the word, to the matching brace. */
    size_t end = i;
    int depth = 0;
    while (end < len && !(w[end] == '}' && depth == 0)) {
        if (w[end] == '\\')
            end++;
        else if (w[end] == '{')
            depth++;
        else if (w[end] == '}')
            depth--;
        else if (w[end] == '\'' && !dq)
            while (++end < len && w[end] != '\'')
                ;
        end++;
    }
    char *value = param_value(name, n);
    int is_at = n == 1 && name[0] == '@';
    if (length_of) {
        char *l = number(value ? (long)strlen(value) : 0);
        add_expansion(e, l, dq);
        free(l);
        free(value);
        return end + 1;
    }
    if (i == end) {
        if (is_at && dq)
            add_all_params(e);
        else if (value)
            add_expansion(e, value, dq);
        free(value);
        return end + 1;
    }
    int colon = w[i] == ':';
    if (colon)
        i++;
    char op = w[i++];
    const char *word = w + i;
    size_t wlen = end - i;
    int unset = value == NULL || (colon && value[0] == '\0');
    switch (op) {
    case '-':
        if (unset) {
            expand_into(e, word, wlen, dq);
        } else if (is_at && dq) {
            add_all_params(e);
        } else {
            add_expansion(e, value, dq);
        }
        break;
    case '=':
        if (unset) {
            char *v = expand_piece(word, wlen, STRING);
            char *key = xstrndup(name, n);
            if (!var_is_name(key, n))
                sh_abort("%s: cannot assign in this way", key);
            var_set(key, v, 0);
            free(key);
            add_expansion(e, v, dq);
            free(v);
        } else {
            add_expansion(e, value, dq);
        }
        break;
    case '?':
        if (unset) {
            char *v = expand_piece(word, wlen, STRING);
            sh_abort("%.*s: %s", (int)n, name, wlen ? v : "parameter not set");
        }
        add_expansion(e, value, dq);
        break;
    case '+':
        if (!unset)
            expand_into(e, word, wlen, dq);
        break;
    case '#':
    case '%': {
        int longest = w[i] == op;
        if (longest) {
            word++;
            wlen--;
        }
        char *pat = expand_piece(word, wlen, PATTERN);
        char *r = remove_pattern(value ? value : "", pat, op == '%', longest);
        add_expansion(e, r, dq);
        free(r);
        free(pat);
        break;
    }
    default:
        sh_abort("bad substitution");
    }
    free(value);
    return end + 1;
}

/* The end of $(...) starting at the '(' at i: the matching ')'. */
static size_t match_paren(const char *w, size_t len, size_t i)
{
    int depth = 0;
    for (; i < len; i++) {
        char c = w[i];
        if (c == '\\') {
            i++;
        } else if (c == '\'') {
            while (++i < len && w[i] != '\'')
                ;
        } else if (c == '"') {
            while (++i < len && w[i] != '"')
                if (w[i] == '\\')
                    i++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            return i;
        }
    }
    sh_abort("syntax error: missing )");
}

static void add_command_output(struct expander *e, const char *text, int dq)
{
    char *out = run_capture(text);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    add_expansion(e, out, dq);
    free(out);
}

/* Expands w[0..len); dq: inside double quotes. */
static void expand_into(struct expander *e, const char *w, size_t len, int dq)
{
    size_t dq_start = 0;
    int dq_active_before = 0, dq_at_empty = 0;
    for (size_t i = 0; i < len;) {
        char c = w[i];
        if (c == '\'' && !dq && e->mode != HEREDOC) {
            e->active = 1;
            for (i++; i < len && w[i] != '\''; i++)
                add_quoted(e, w[i]);
            i++;
        } else if (c == '"' && e->mode != HEREDOC) {
            dq = !dq;
            if (dq) {
                dq_start = e->value.len;
                dq_active_before = e->active;
                dq_at_empty = 0;
                e->active = 1;
            } else if (dq_at_empty && e->value.len == dq_start &&
                       !dq_active_before) {
                e->active = 0;
            }
            i++;
        } else if (c == '\\') {
            if (i + 1 >= len) {
                add_quoted(e, c);
                i++;
            } else if (w[i + 1] == '\n') {
                i += 2;
            } else if ((dq || e->mode == HEREDOC) &&
                       !strchr("$`\"\\", w[i + 1])) {
                add_quoted(e, '\\');
                i++;
            } else if (e->mode == HEREDOC && w[i + 1] == '"') {
                add_quoted(e, '\\');
                i++;
            } else {
                add_quoted(e, w[i + 1]);
                i += 2;
            }
        } else if (c == '$' && i + 1 < len && w[i + 1] == '(' && i + 2 < len &&
                   w[i + 2] == '(') {
            size_t end = match_paren(w, len, i + 1);
            /* $(( expr )): the inner text without the outer parentheses. */
            char *expr = expand_piece(w + i + 3, end - i - 4, HEREDOC);
            char *r = number(arith_eval(expr));
            add_expansion(e, r, dq);
            free(r);
            free(expr);
            i = end + 1;
        } else if (c == '$' && i + 1 < len && w[i + 1] == '(') {
            size_t end = match_paren(w, len, i + 1);
            char *text = xstrndup(w + i + 2, end - i - 2);
            add_command_output(e, text, dq);
            free(text);
            i = end + 1;
        } else if (c == '$' && i + 1 < len && w[i + 1] == '{') {
            i = expand_braced(e, w, len, i + 2, dq);
        } else if (c == '$' && i + 1 < len && param_name_len(w + i + 1, 0)) {
            size_t n = param_name_len(w + i + 1, 0);
            const char *name = w + i + 1;
            if (n == 1 && name[0] == '@' && dq) {
                if (sh.params.n == 0)
                    dq_at_empty = 1;
                add_all_params(e);
            } else if (n == 1 && (name[0] == '@' || name[0] == '*') && !dq &&
                       e->mode == SPLIT) {
                for (int k = 0; k < sh.params.n; k++) {
                    if (k > 0)
                        end_field(e);
                    add_expansion(e, sh.params.v[k], 0);
                }
            } else {
                char *v = param_value(name, n);
                if (v)
                    add_expansion(e, v, dq);
                free(v);
            }
            i += 1 + n;
        } else if (c == '`') {
            struct buf text = {0};
            for (i++; i < len && w[i] != '`'; i++) {
                if (w[i] == '\\' && i + 1 < len && strchr("$`\\", w[i + 1]))
                    i++;
                buf_add(&text, w[i]);
            }
            i++;
            char *t = buf_take(&text);
            add_command_output(e, t, dq);
            free(t);
        } else if (c == '~' && i == 0 && !dq && e->mode == SPLIT &&
                   (len == 1 || w[1] == '/') && var_get("HOME")) {
            add_expansion(e, var_get("HOME"), 1);
            i++;
        } else {
            if (dq || e->mode == HEREDOC)
                add_quoted(e, c);
            else
                add_unquoted(e, c);
            i++;
        }
    }
}

void expand_fields(const char *word, struct strv *out)
{
    struct expander e = {.mode = SPLIT, .out = out};
    expand_into(&e, word, strlen(word), 0);
    end_field(&e);
}

char *expand_string(const char *word)
{
    return expand_piece(word, strlen(word), STRING);
}

char *expand_pattern(const char *word)
{
    return expand_piece(word, strlen(word), PATTERN);
}

char *expand_heredoc(const char *body)
{
    return expand_piece(body, strlen(body), HEREDOC);
}
