#include "vg_report.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "strbuf.h"
#include "text.h"
#include "tsan_report.h" /* without_addresses */

/* A small element tree: Valgrind's XML is a few hundred KiB at most, and
 * walking a tree is clearer than a streaming state machine. */
typedef struct Node Node;
struct Node {
    char *name;
    StrBuf text;
    Node **kids;
    size_t n, cap;
    Node *parent;
};

typedef struct {
    Node *root, *cur;
    int depth;
    bool too_deep;
} Builder;

#define MAX_DEPTH 64

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    Builder *b = ud;
    if (++b->depth > MAX_DEPTH) {
        b->too_deep = true;
        return;
    }
    Node *n = xcalloc(1, sizeof *n);
    sb_init(&n->text);
    n->name = xstrdup(name);
    n->parent = b->cur;
    if (b->cur)
        PUSH(b->cur->kids, b->cur->n, b->cur->cap, n);
    else if (!b->root)
        b->root = n;
    else
        free(n->name), free(n), n = NULL; /* cannot happen: expat rejects two roots */
    if (n)
        b->cur = n;
}

static void on_end(void *ud, const XML_Char *name)
{
    (void)name;
    Builder *b = ud;
    if (b->depth-- > MAX_DEPTH)
        return;
    if (b->cur)
        b->cur = b->cur->parent;
}

/* The document is read as ISO-8859-1 (below), so each byte of it arrives
 * as one character, which expat hands over in UTF-8: U+0080..U+00FF come
 * as two bytes, turned back here into the byte Valgrind wrote. Anything
 * else (ASCII, a character reference past U+00FF) is kept as it is. */
static void add_bytes(StrBuf *sb, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c == 0xC2 || c == 0xC3) && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            char byte = (char)(((c & 0x03) << 6) | ((unsigned char)s[i + 1] & 0x3F));
            sb_addn(sb, &byte, 1);
            i++;
        } else {
            sb_addn(sb, s + i, 1);
        }
    }
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    Builder *b = ud;
    if (b->cur && b->depth <= MAX_DEPTH && len > 0)
        add_bytes(&b->cur->text, s, (size_t)len);
}

static void node_free(Node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->name);
    sb_free(&n->text);
    free(n);
}

static Node *child(const Node *n, const char *name)
{
    for (size_t i = 0; n && i < n->n; i++)
        if (!strcmp(n->kids[i]->name, name))
            return n->kids[i];
    return NULL;
}

/* Trimmed text of a child element, or NULL. Points into the tree. */
static const char *child_text(const Node *n, const char *name)
{
    Node *c = child(n, name);
    return c && c->text.buf ? trim(c->text.buf) : NULL;
}

static void add_stack(Finding *f, const Node *stack, const char *title, bool is_location)
{
    Stack *s = finding_add_stack(f, title, is_location);
    for (size_t i = 0; i < stack->n; i++) {
        const Node *fr = stack->kids[i];
        if (strcmp(fr->name, "frame") != 0)
            continue;
        const char *dir = child_text(fr, "dir"), *file = child_text(fr, "file");
        const char *line = child_text(fr, "line");
        char *path = file ? (dir ? path_join(dir, file) : xstrdup(file)) : NULL;
        stack_add_frame(s, child_text(fr, "fn"), path, line ? atoi(line) : 0);
        free(path);
    }
}

/* A later stack is a location when it is the other side of the bug: the
 * previous access of a race, the acquisitions that set the lock order. */
static bool aux_is_location(const char *title)
{
    return strstr(title, "conflicts with a previous") || strstr(title, "Required order was established") ||
           strstr(title, "followed by a later acquisition");
}

/* 'Address 0x.. is 0 bytes inside data symbol "counter"' or '... global var "x"' */
static void take_variable(Finding *f, const char *text)
{
    static const char *const marks[] = {"data symbol \"", "global var \"", "local var \""};
    for (size_t i = 0; i < ARRAY_LEN(marks) && !f->var; i++) {
        const char *q = strstr(text, marks[i]);
        if (!q)
            continue;
        q += strlen(marks[i]);
        const char *e = strchr(q, '"');
        if (e)
            f->var = xstrndup(q, (size_t)(e - q));
    }
}

static const char *description(const Node *n)
{
    if (!strcmp(n->name, "what") || !strcmp(n->name, "auxwhat"))
        return n->text.buf ? trim(n->text.buf) : "";
    if (!strcmp(n->name, "xwhat") || !strcmp(n->name, "xauxwhat")) {
        const char *t = child_text(n, "text");
        return t ? t : "";
    }
    return NULL;
}

/* Helgrind's <announcethread>: thread number -> creation site */
typedef struct {
    char *id;
    char *where;
} Announce;

static void add_threads(Finding *f, const Node *err, const Announce *ann, size_t nann)
{
    for (size_t i = 0; i < err->n; i++) {
        const char *id = child_text(err->kids[i], "hthreadid");
        if (!id)
            continue;
        const char *where = NULL;
        for (size_t k = 0; k < nann; k++)
            if (!strcmp(ann[k].id, id))
                where = ann[k].where;
        char *desc = where ? xasprintf("#%s (created at %s)", id, where)
                           : xasprintf("#%s%s", id, !strcmp(id, "1") ? " (main)" : "");
        finding_add_thread(f, desc);
        free(desc);
    }
}

static void take_error(const Node *err, ToolId tool, Report *r, const Announce *ann, size_t nann)
{
    const char *kind = child_text(err, "kind");
    if (!kind || !*kind) {
        report_set_problem(r, "Valgrind XML: an <error> has no <kind>");
        return;
    }
    Finding *f = report_add(r, tool, kind);
    const char *unique = child_text(err, "unique");
    f->unique = unique ? xstrdup(unique) : NULL;
    const char *title = NULL;
    bool first_stack = true;
    for (size_t i = 0; i < err->n; i++) {
        const Node *k = err->kids[i];
        const char *d = description(k);
        if (d) {
            title = d;
            if (!f->message) {
                f->message = without_addresses(d);
            }
            take_variable(f, d);
            continue;
        }
        if (!strcmp(k->name, "stack")) {
            char *t = without_addresses(title ? title : "");
            add_stack(f, k, t, first_stack || aux_is_location(t));
            free(t);
            first_stack = false;
            title = NULL;
        }
    }
    add_threads(f, err, ann, nann);
    if (!f->nstacks)
        report_set_problem(r, "Valgrind XML: error '%s' has no stack: report garbled", kind);
}

/* <errorcounts> says how often each <unique> error happened; leak errors
 * are not counted there and stay at 1. */
static void apply_counts(const Node *root, Report *r, size_t first)
{
    const Node *ec = child(root, "errorcounts");
    for (size_t i = first; i < r->n; i++) {
        Finding *f = &r->items[i];
        for (size_t k = 0; ec && f->unique && k < ec->n; k++) {
            const char *u = child_text(ec->kids[k], "unique");
            const char *c = child_text(ec->kids[k], "count");
            if (u && c && !strcmp(u, f->unique))
                f->count = (unsigned)strtoul(c, NULL, 10);
        }
        if (!f->count)
            f->count = 1;
    }
}

static const char *tool_xml_name(ToolId t)
{
    return t == TOOL_HELGRIND ? "helgrind" : t == TOOL_DRD ? "drd" : "memcheck";
}

void vg_parse(const char *xml, size_t len, ToolId tool, Report *r, const SourceSet *ss)
{
    Builder b = {0};
    /* Valgrind writes file and function names as the bytes it found, which
     * need not be UTF-8 (a source file named in Latin-1): read as
     * ISO-8859-1, every byte sequence is well-formed, and on_text gives the
     * bytes back. */
    XML_Parser p = XML_ParserCreate("ISO-8859-1");
    XML_SetUserData(p, &b);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    bool ok = len <= (size_t)0x7fffffff && XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
    if (!ok) {
        enum XML_Error e = XML_GetErrorCode(p);
        if (e == XML_ERROR_NO_ELEMENTS || e == XML_ERROR_UNCLOSED_TOKEN ||
            (e == XML_ERROR_SYNTAX && XML_GetCurrentByteIndex(p) >= (XML_Index)len - 1))
            report_set_problem(r, "Valgrind XML is truncated (%s at line %lu)", XML_ErrorString(e),
                               (unsigned long)XML_GetCurrentLineNumber(p));
        else
            report_set_problem(r, "Valgrind XML is malformed: %s at line %lu", XML_ErrorString(e),
                               (unsigned long)XML_GetCurrentLineNumber(p));
    }
    XML_ParserFree(p);
    if (b.too_deep)
        report_set_problem(r, "Valgrind XML nests deeper than %d elements: not Valgrind's", MAX_DEPTH);
    Node *root = b.root;
    if (!root) {
        report_set_problem(r, "Valgrind XML is empty");
        return;
    }
    if (strcmp(root->name, "valgrindoutput") != 0) {
        report_set_problem(r, "not Valgrind XML: root element <%s>", root->name);
        node_free(root);
        return;
    }
    const char *proto = child_text(root, "protocolversion");
    const char *tname = child_text(root, "protocoltool");
    if (!proto || (strcmp(proto, "4") != 0 && strcmp(proto, "3") != 0))
        report_set_problem(r, "Valgrind XML protocol %s is not supported (need 4)", proto ? proto : "missing");
    if (!tname || strcmp(tname, tool_xml_name(tool)) != 0)
        report_set_problem(r, "Valgrind XML is from tool '%s', expected '%s'", tname ? tname : "?",
                           tool_xml_name(tool));

    Announce *ann = NULL;
    size_t nann = 0, cann = 0;
    bool finished = false;
    size_t first = r->n;
    for (size_t i = 0; i < root->n; i++) {
        const Node *k = root->kids[i];
        if (!strcmp(k->name, "announcethread")) {
            const char *id = child_text(k, "hthreadid");
            const Node *st = child(k, "stack");
            if (!id || !st)
                continue;
            Finding tmp = {0};
            add_stack(&tmp, st, "", false);
            char *where = frame_short(stack_user_frame(&tmp.stacks[0], ss));
            finding_free(&tmp);
            Announce a = {xstrdup(id), where};
            PUSH(ann, nann, cann, a);
        } else if (!strcmp(k->name, "error")) {
            take_error(k, tool, r, ann, nann);
        } else if (!strcmp(k->name, "status")) {
            const char *st = child_text(k, "state");
            finished = st && !strcmp(st, "FINISHED");
        } else if (!strcmp(k->name, "fatal_signal")) {
            const char *name = child_text(k, "signame");
            const char *event = child_text(k, "event");
            free(r->crash);
            r->crash = xasprintf("killed by %s%s%s", name ? name : "a signal", event ? ": " : "", event ? event : "");
            const Node *st = child(k, "stack");
            if (st) {
                Finding tmp = {0};
                add_stack(&tmp, st, "", false);
                stack_free(&r->crash_stack);
                r->crash_stack = tmp.stacks[0];
                memset(&tmp.stacks[0], 0, sizeof(Stack));
                finding_free(&tmp);
            }
        }
    }
    apply_counts(root, r, first);
    if (ok && !finished)
        report_set_problem(r, "Valgrind XML has no <state>FINISHED</state>: the run did not end normally");
    for (size_t i = 0; i < nann; i++)
        free(ann[i].id), free(ann[i].where);
    free(ann);
    node_free(root);
}
