#ifndef SPEAKERDB_CLIBXML2_SHIM_H
#define SPEAKERDB_CLIBXML2_SHIM_H

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer, which Swift cannot call directly.
static inline void speakerdb_xml_free(void *pointer) {
    xmlFree(pointer);
}

/// Silences libxml2's default error printer (parsing untrusted HTML is noisy).
static inline void speakerdb_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, NULL);
    xmlSetStructuredErrorFunc(NULL, NULL);
}

#endif
