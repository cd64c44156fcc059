'use server';

import { revalidatePath } from 'next/cache';
import { alertIdSchema } from '@/lib/alerts/alerts.schema';
import { acknowledgeAlert, resolveAlert } from '@/lib/alerts/manage-alerts';
import { serverAction } from '@/app/_server/server-action';

export const acknowledgeAlertAction = serverAction('SUPPORT', alertIdSchema, async ({ id }, { principal, ip }) => {
  const alert = await acknowledgeAlert(id, principal, ip);
  revalidatePath('/alerts');
  revalidatePath('/');
  return { id: alert.id, status: alert.status };
});

export const resolveAlertAction = serverAction('SUPPORT', alertIdSchema, async ({ id }, { principal, ip }) => {
  const alert = await resolveAlert(id, principal, ip);
  revalidatePath('/alerts');
  revalidatePath('/');
  return { id: alert.id, status: alert.status };
});
