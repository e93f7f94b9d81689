/*
 * parse.c - the shell's syntax: a lexer (words kept as written, quotes
 * and all, for expand.c; operators; here-documents) and a recursive
 * descent parser of POSIX's grammar (XCU 2.10) into struct node trees.
 */
#include "sh.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

enum token_kind {
    T_WORD, T_IO_NUMBER, T_NEWLINE, T_EOF, T_SEMI, T_AMP, T_PIPE, T_AND_IF,
    T_OR_IF, T_DSEMI, T_LPAREN, T_RPAREN, T_LESS, T_GREAT, T_DGREAT,
    T_LESSAND, T_GREATAND, T_LESSGREAT, T_DLESS, T_DLESSDASH, T_CLOBBER,
};

struct token {
    enum token_kind kind;
    char *text;          /* T_WORD, T_IO_NUMBER */
    size_t start, end;   /* offsets in the source */
};

struct parser {
    const char *src;
    size_t len, pos;
    int more;               /* more input may follow the buffer */
    struct token peeked;
    int has_peeked;
    struct redir *heredocs; /* waiting for their bodies after a newline */
    size_t last_end;        /* end of the last token taken */
    jmp_buf incomplete;
};

struct parser *parser_new(const char *src, size_t len, int more)
{
    struct parser *p = xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->src = src;
    p->len = len;
    p->more = more;
    return p;
}

void parser_free(struct parser *p)
{
    free(p);
}

size_t parser_offset(struct parser *p)
{
    return p->has_peeked ? p->peeked.start : p->pos;
}

/* Running out of input inside a construct. */
static void __attribute__((noreturn)) need_more(struct parser *p, const char *what)
{
    if (p->more)
        longjmp(p->incomplete, 1);
    sh_abort("syntax error: unterminated %s", what);
}

static int at(struct parser *p, size_t i)
{
    return i < p->len ? (unsigned char)p->src[i] : -1;
}

static int is_meta(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
           c == '|' || c == '<' || c == '>' || c == '(' || c == ')' || c == -1;
}

/* Skips a quoted or nested construct starting at i; returns the index
 * just past it. Used for words and for $(...), ${...}, `...`. */
static size_t skip_construct(struct parser *p, size_t i);

static size_t skip_single(struct parser *p, size_t i)
{
    for (i++;; i++) {
        if (at(p, i) == -1)
            need_more(p, "quoted string");
        if (at(p, i) == '\'')
            return i + 1;
    }
}

static size_t skip_double(struct parser *p, size_t i)
{
    for (i++;;) {
        int c = at(p, i);
        if (c == -1)
            need_more(p, "quoted string");
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (at(p, i + 1) == -1)
                need_more(p, "quoted string");
            i += 2;
        } else if (c == '$' || c == '`') {
            i = skip_construct(p, i);
        } else {
            i++;
        }
    }
}

static size_t skip_backquote(struct parser *p, size_t i)
{
    for (i++;;) {
        int c = at(p, i);
        if (c == -1)
            need_more(p, "` command substitution");
        if (c == '`')
            return i + 1;
        i += c == '\\' ? 2 : 1;
    }
}

/* $(...) or $((...)): to the matching parenthesis, quotes respected. */
static size_t skip_parens(struct parser *p, size_t i)
{
    int depth = 0;
    for (;;) {
        int c = at(p, i);
        if (c == -1)
            need_more(p, "$( command substitution");
        if (c == '(') {
            depth++;
            i++;
        } else if (c == ')') {
            i++;
            if (--depth == 0)
                return i;
        } else if (c == '\'') {
            i = skip_single(p, i);
        } else if (c == '"') {
            i = skip_double(p, i);
        } else if (c == '\\') {
            i += 2;
        } else if (c == '`') {
            i = skip_backquote(p, i);
        } else if (c == '#' && (i == 0 || strchr(" \t\n;(", p->src[i - 1]))) {
            while (at(p, i) != '\n' && at(p, i) != -1)
                i++;
        } else if (c == '$' && at(p, i + 1) == '{') {
            i = skip_construct(p, i);
        } else {
            i++;
        }
    }
}

static size_t skip_construct(struct parser *p, size_t i)
{
    int c = at(p, i);
    if (c == '\'')
        return skip_single(p, i);
    if (c == '"')
        return skip_double(p, i);
    if (c == '`')
        return skip_backquote(p, i);
    if (c == '$' && at(p, i + 1) == '(')
        return skip_parens(p, i + 1);
    if (c == '$' && at(p, i + 1) == '{') {
        for (i += 2;;) {
            int d = at(p, i);
            if (d == -1)
                need_more(p, "${ parameter expansion");
            if (d == '}')
                return i + 1;
            if (d == '\\')
                i += 2;
            else if (d == '\'' || d == '"' || d == '`' || d == '$')
                i = d == '$' && at(p, i + 1) != '(' && at(p, i + 1) != '{'
                        ? i + 1
                        : skip_construct(p, i);
            else
                i++;
        }
    }
    return i + 1;
}

/* Reads the bodies of the here-documents waiting for this newline. */
static void read_heredocs(struct parser *p)
{
    for (struct redir *r = p->heredocs; r != NULL; r = r->pending) {
        char *delim = r->word;
        int strip_tabs = r->fd < 0;
        if (strip_tabs)
            r->fd = -r->fd - 1;
        struct buf body = {0};
        for (;;) {
            if (p->pos >= p->len)
                need_more(p, "here-document");
            size_t eol = p->pos;
            while (eol < p->len && p->src[eol] != '\n')
                eol++;
            if (eol >= p->len && p->more)
                need_more(p, "here-document");
            size_t start = p->pos;
            if (strip_tabs)
                while (start < eol && p->src[start] == '\t')
                    start++;
            p->pos = eol < p->len ? eol + 1 : eol;
            if (eol - start == strlen(delim) &&
                memcmp(p->src + start, delim, eol - start) == 0)
                break;
            buf_addn(&body, p->src + start, eol - start);
            buf_add(&body, '\n');
        }
        r->word = buf_take(&body);
    }
    p->heredocs = NULL;
}

static struct token lex(struct parser *p)
{
    struct token t = {0};
    for (;;) {
        int c = at(p, p->pos);
        if (c == ' ' || c == '\t') {
            p->pos++;
        } else if (c == '\\' && at(p, p->pos + 1) == '\n') {
            p->pos += 2;
        } else if (c == '#') {
            while (at(p, p->pos) != '\n' && at(p, p->pos) != -1)
                p->pos++;
        } else {
            break;
        }
    }
    t.start = p->pos;
    int c = at(p, p->pos);
    if (c == -1) {
        t.kind = T_EOF;
        t.end = p->pos;
        return t;
    }
    if (c == '\n') {
        p->pos++;
        t.kind = T_NEWLINE;
        t.end = p->pos;
        return t;
    }
    static const struct {
        const char *op;
        enum token_kind kind;
    } ops[] = {
        {"&&", T_AND_IF}, {"||", T_OR_IF}, {";;", T_DSEMI}, {"<<-", T_DLESSDASH},
        {"<<", T_DLESS}, {">>", T_DGREAT}, {"<&", T_LESSAND}, {">&", T_GREATAND},
        {"<>", T_LESSGREAT}, {">|", T_CLOBBER}, {";", T_SEMI}, {"&", T_AMP},
        {"|", T_PIPE}, {"(", T_LPAREN}, {")", T_RPAREN}, {"<", T_LESS},
        {">", T_GREAT},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].op);
        if (p->len - p->pos >= n && memcmp(p->src + p->pos, ops[k].op, n) == 0) {
            p->pos += n;
            t.kind = ops[k].kind;
            t.end = p->pos;
            return t;
        }
    }
    size_t i = p->pos;
    while (!is_meta(at(p, i))) {
        int d = at(p, i);
        if (d == '\\') {
            if (at(p, i + 1) == -1)
                need_more(p, "escape");
            i += 2;
        } else if (d == '\'' || d == '"' || d == '`' ||
                   (d == '$' && (at(p, i + 1) == '(' || at(p, i + 1) == '{'))) {
            i = skip_construct(p, i);
        } else {
            i++;
        }
    }
    t.kind = T_WORD;
    t.text = xstrndup(p->src + p->pos, i - p->pos);
    p->pos = i;
    t.end = i;
    if ((at(p, i) == '<' || at(p, i) == '>') &&
        strspn(t.text, "0123456789") == strlen(t.text) && strlen(t.text) == 1)
        t.kind = T_IO_NUMBER;
    return t;
}

static struct token *peek(struct parser *p)
{
    if (!p->has_peeked) {
        p->peeked = lex(p);
        p->has_peeked = 1;
    }
    return &p->peeked;
}

static struct token take(struct parser *p)
{
    peek(p);
    p->has_peeked = 0;
    p->last_end = p->peeked.end;
    if (p->peeked.kind == T_NEWLINE && p->heredocs != NULL)
        read_heredocs(p);
    return p->peeked;
}

static int peek_is(struct parser *p, enum token_kind k)
{
    return peek(p)->kind == k;
}

static int peek_word(struct parser *p, const char *w)
{
    struct token *t = peek(p);
    return t->kind == T_WORD && strcmp(t->text, w) == 0;
}

static void __attribute__((noreturn)) unexpected(struct parser *p)
{
    struct token *t = peek(p);
    if (t->kind == T_EOF)
        need_more(p, "command");
    if (t->kind == T_NEWLINE)
        sh_abort("syntax error: unexpected newline");
    if (t->kind == T_WORD || t->kind == T_IO_NUMBER)
        sh_abort("syntax error: unexpected \"%s\"", t->text);
    sh_abort("syntax error: unexpected \"%.*s\"", (int)(t->end - t->start),
             p->src + t->start);
}

static void expect_word(struct parser *p, const char *w)
{
    if (!peek_word(p, w))
        unexpected(p);
    take(p);
}

static void skip_newlines(struct parser *p)
{
    while (peek_is(p, T_NEWLINE))
        take(p);
}

static struct node *new_node(enum node_kind kind)
{
    struct node *n = xmalloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return n;
}

static char *text_of(struct parser *p, size_t start)
{
    return xstrndup(p->src + start, p->last_end - start);
}

static struct node *parse_and_or(struct parser *p);

/* Words that end a compound list. */
static int at_list_end(struct parser *p)
{
    static const char *const ends[] = {"then", "else", "elif", "fi", "do",
                                       "done", "esac", "}", NULL};
    struct token *t = peek(p);
    if (t->kind == T_EOF || t->kind == T_RPAREN || t->kind == T_DSEMI)
        return 1;
    for (int i = 0; t->kind == T_WORD && ends[i]; i++)
        if (strcmp(t->text, ends[i]) == 0)
            return 1;
    return 0;
}

/* One item of a list: an and-or list with its terminator taken. `&`
 * makes it a background job (its text kept for the job), `;` is taken;
 * *terminated says whether either was there. */
static struct node *parse_list_item(struct parser *p, int *terminated)
{
    size_t start = peek(p)->start;
    struct node *n = parse_and_or(p);
    *terminated = 1;
    if (peek_is(p, T_AMP)) {
        take(p);
        struct node *bg = new_node(N_BACKGROUND);
        bg->a = n;
        bg->text = text_of(p, start);
        bg->text[strlen(bg->text) - 1] = '\0';
        return bg;
    }
    if (peek_is(p, T_SEMI)) {
        take(p);
        return n;
    }
    *terminated = 0;
    return n;
}

/* `list` followed by `n`, in sequence (`n` alone if `list` is empty). */
static struct node *append_to_list(struct node *list, struct node *n)
{
    if (list == NULL)
        return n;
    struct node *seq = new_node(N_SEQ);
    seq->a = list;
    seq->b = n;
    return seq;
}

/* compound_list: and-or lists separated by ; & or newlines. */
static struct node *parse_compound_list(struct parser *p)
{
    skip_newlines(p);
    struct node *list = NULL;
    while (!at_list_end(p)) {
        int terminated;
        struct node *n = parse_list_item(p, &terminated);
        if (!terminated && !peek_is(p, T_NEWLINE) && !at_list_end(p))
            unexpected(p);
        skip_newlines(p);
        list = append_to_list(list, n);
    }
    if (list == NULL)
        unexpected(p);
    return list;
}

static int parse_redirect(struct parser *p, struct redir ***tail)
{
    int fd = -1;
    struct token *t = peek(p);
    if (t->kind == T_IO_NUMBER) {
        fd = atoi(t->text);
        take(p);
        t = peek(p);
    }
    struct redir *r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    switch (t->kind) {
    case T_LESS: r->kind = R_IN; break;
    case T_GREAT: case T_CLOBBER: r->kind = R_OUT; break;
    case T_DGREAT: r->kind = R_APPEND; break;
    case T_LESSGREAT: r->kind = R_RDWR; break;
    case T_LESSAND: case T_GREATAND: r->kind = R_DUP; break;
    case T_DLESS: case T_DLESSDASH: r->kind = R_HEREDOC; break;
    default:
        free(r);
        if (fd >= 0)
            unexpected(p);
        return 0;
    }
    int input = t->kind == T_LESS || t->kind == T_LESSAND ||
                t->kind == T_LESSGREAT || t->kind == T_DLESS ||
                t->kind == T_DLESSDASH;
    int strip = t->kind == T_DLESSDASH;
    take(p);
    r->fd = fd >= 0 ? fd : (input ? 0 : 1);
    if (!peek_is(p, T_WORD))
        unexpected(p);
    r->word = take(p).text;
    if (r->kind == R_HEREDOC) {
        /* The delimiter: quote removal only; quoted means no expansion. */
        r->quoted = strpbrk(r->word, "'\"\\") != NULL;
        struct buf d = {0};
        for (const char *s = r->word; *s; s++)
            if (*s == '\\' && s[1])
                buf_add(&d, *++s);
            else if (*s != '\'' && *s != '"')
                buf_add(&d, *s);
        r->word = buf_take(&d);
        if (strip)
            r->fd = -r->fd - 1;
        /* Queued: the body follows the next newline. */
        struct redir **q = &p->heredocs;
        while (*q)
            q = &(*q)->pending;
        *q = r;
    }
    **tail = r;
    *tail = &r->next;
    return 1;
}

static struct node *parse_command(struct parser *p);

static void parse_redirects_after(struct parser *p, struct node *n)
{
    struct redir **tail = &n->redirs;
    while (*tail)
        tail = &(*tail)->next;
    while (parse_redirect(p, &tail))
        ;
}

static struct node *parse_simple(struct parser *p)
{
    struct node *n = new_node(N_SIMPLE);
    struct redir **tail = &n->redirs;
    for (;;) {
        if (parse_redirect(p, &tail))
            continue;
        struct token *t = peek(p);
        if (t->kind != T_WORD)
            break;
        const char *eq = strchr(t->text, '=');
        if (n->words.n == 0 && eq != NULL && eq != t->text &&
            var_is_name(t->text, (size_t)(eq - t->text)))
            strv_add(&n->assigns, take(p).text);
        else
            strv_add(&n->words, take(p).text);
    }
    if (n->words.n == 0 && n->assigns.n == 0 && n->redirs == NULL)
        unexpected(p);
    return n;
}

static struct node *parse_if(struct parser *p)
{
    struct node *n = new_node(N_IF);
    n->a = parse_compound_list(p);
    expect_word(p, "then");
    n->b = parse_compound_list(p);
    if (peek_word(p, "elif")) {
        take(p);
        n->c = parse_if(p);
        return n;
    }
    if (peek_word(p, "else")) {
        take(p);
        n->c = parse_compound_list(p);
    }
    expect_word(p, "fi");
    return n;
}

static struct node *parse_do_group(struct parser *p)
{
    expect_word(p, "do");
    struct node *body = parse_compound_list(p);
    expect_word(p, "done");
    return body;
}

static struct node *parse_for(struct parser *p)
{
    struct node *n = new_node(N_FOR);
    if (!peek_is(p, T_WORD) || !var_is_name(peek(p)->text, strlen(peek(p)->text)))
        unexpected(p);
    n->name = take(p).text;
    skip_newlines(p);
    if (peek_word(p, "in")) {
        take(p);
        while (peek_is(p, T_WORD))
            strv_add(&n->words, take(p).text);
        if (!peek_is(p, T_SEMI) && !peek_is(p, T_NEWLINE))
            unexpected(p);
        take(p);
    } else {
        /* No "in": the positional parameters. */
        strv_add(&n->words, xstrdup("\"$@\""));
        if (peek_is(p, T_SEMI))
            take(p);
    }
    skip_newlines(p);
    n->a = parse_do_group(p);
    return n;
}

static struct node *parse_case(struct parser *p)
{
    struct node *n = new_node(N_CASE);
    if (!peek_is(p, T_WORD))
        unexpected(p);
    n->name = take(p).text;
    skip_newlines(p);
    expect_word(p, "in");
    skip_newlines(p);
    struct case_item **tail = &n->items;
    while (!peek_word(p, "esac")) {
        struct case_item *item = xmalloc(sizeof *item);
        memset(item, 0, sizeof *item);
        if (peek_is(p, T_LPAREN))
            take(p);
        for (;;) {
            if (!peek_is(p, T_WORD))
                unexpected(p);
            strv_add(&item->patterns, take(p).text);
            if (!peek_is(p, T_PIPE))
                break;
            take(p);
        }
        if (!peek_is(p, T_RPAREN))
            unexpected(p);
        take(p);
        skip_newlines(p);
        if (!peek_is(p, T_DSEMI) && !peek_word(p, "esac"))
            item->body = parse_compound_list(p);
        *tail = item;
        tail = &item->next;
        if (peek_is(p, T_DSEMI)) {
            take(p);
            skip_newlines(p);
        } else if (!peek_word(p, "esac")) {
            unexpected(p);
        }
    }
    take(p);
    return n;
}

/* A command: compound (with its redirections) or simple, or a function
 * definition. Its source text is kept to run it in a child shell. */
static struct node *parse_command(struct parser *p)
{
    struct token *t = peek(p);
    size_t start = t->start;
    struct node *n = NULL;
    if (at_list_end(p) || peek_word(p, "in"))
        unexpected(p);
    if (t->kind == T_LPAREN) {
        take(p);
        n = new_node(N_SUBSHELL);
        size_t inner = peek(p)->start;
        n->a = parse_compound_list(p);
        n->name = text_of(p, inner);
        if (!peek_is(p, T_RPAREN))
            unexpected(p);
        take(p);
    } else if (t->kind == T_WORD && strcmp(t->text, "{") == 0) {
        take(p);
        n = new_node(N_GROUP);
        n->a = parse_compound_list(p);
        expect_word(p, "}");
    } else if (t->kind == T_WORD && strcmp(t->text, "if") == 0) {
        take(p);
        n = parse_if(p);
    } else if (t->kind == T_WORD &&
               (strcmp(t->text, "while") == 0 || strcmp(t->text, "until") == 0)) {
        n = new_node(t->text[0] == 'w' ? N_WHILE : N_UNTIL);
        take(p);
        n->a = parse_compound_list(p);
        n->b = parse_do_group(p);
    } else if (t->kind == T_WORD && strcmp(t->text, "for") == 0) {
        take(p);
        n = parse_for(p);
    } else if (t->kind == T_WORD && strcmp(t->text, "case") == 0) {
        take(p);
        n = parse_case(p);
    }
    if (n != NULL) {
        n->text = text_of(p, start);
        parse_redirects_after(p, n);
        return n;
    }
    if (t->kind == T_WORD && var_is_name(t->text, strlen(t->text))) {
        /* NAME ( ) compound-command: a function definition. */
        struct token name = take(p);
        if (peek_is(p, T_LPAREN)) {
            take(p);
            if (!peek_is(p, T_RPAREN))
                unexpected(p);
            take(p);
            skip_newlines(p);
            struct node *def = new_node(N_FUNCDEF);
            def->name = name.text;
            def->a = parse_command(p);
            def->text = text_of(p, start);
            return def;
        }
        /* Not a definition: give the word back. */
        p->pos = name.start;
        p->has_peeked = 0;
    }
    n = parse_simple(p);
    n->text = text_of(p, start);
    return n;
}

static struct node *parse_pipeline(struct parser *p)
{
    struct node *n = new_node(N_PIPE);
    size_t start = peek(p)->start;
    if (peek_word(p, "!")) {
        take(p);
        n->bang = 1;
    }
    for (;;) {
        n->cmds = xrealloc(n->cmds, (n->ncmds + 1) * sizeof *n->cmds);
        n->cmds[n->ncmds++] = parse_command(p);
        if (!peek_is(p, T_PIPE))
            break;
        take(p);
        skip_newlines(p);
    }
    n->text = text_of(p, start);
    return n;
}

static struct node *parse_and_or(struct parser *p)
{
    struct node *left = parse_pipeline(p);
    while (peek_is(p, T_AND_IF) || peek_is(p, T_OR_IF)) {
        struct node *n = new_node(peek_is(p, T_AND_IF) ? N_AND : N_OR);
        take(p);
        skip_newlines(p);
        n->a = left;
        n->b = parse_pipeline(p);
        left = n;
    }
    return left;
}

enum parse_result parse_next(struct parser *p, struct node **out)
{
    *out = NULL;
    if (setjmp(p->incomplete))
        return PARSE_INCOMPLETE;
    if (peek_is(p, T_EOF))
        return PARSE_EOF;
    if (peek_is(p, T_NEWLINE)) {
        take(p);
        return PARSE_OK;
    }
    struct node *list = NULL;
    for (;;) {
        int terminated;
        struct node *n = parse_list_item(p, &terminated);
        list = append_to_list(list, n);
        if (peek_is(p, T_NEWLINE)) {
            take(p);
            break;
        }
        if (peek_is(p, T_EOF)) {
            if (p->more)
                need_more(p, "line");
            break;
        }
        if (at_list_end(p))
            unexpected(p);
    }
    *out = list;
    return PARSE_OK;
}
