/* cordon doctor: what this machine offers cordon, and what it lacks. */
#ifndef CORDON_DOCTOR_H
#define CORDON_DOCTOR_H

int doctor_main(int argc, char **argv);

#endif
