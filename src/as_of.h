/*
 * as_of.h
 *		The dormant.as_of setting: the time the live views are computed as of.
 */
#ifndef DORMANT_AS_OF_H
#define DORMANT_AS_OF_H

extern void DefineAsOfVariable(void);

#endif
