/** The CA enrollment id of a DER's device: `device.<derId>` (its certificate's CN). */
export const deviceEnrollmentId = (derId: string): string => `device.${derId}`;
