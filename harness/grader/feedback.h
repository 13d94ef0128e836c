/* The grader's words for a student: what a category of finding means, a
 * hint for it in the case's bug class, and what a wrong answer says. */
#ifndef RACELAB_FEEDBACK_H
#define RACELAB_FEEDBACK_H

#include "kinds.h"

const char *feedback_explain(Category c);
const char *feedback_hint(const char *klass, Category c);
const char *feedback_wrong_answer_hint(const char *klass);

#endif
