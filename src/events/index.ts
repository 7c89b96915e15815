/** `nodemailer-ses-query/events`: SES bounce, complaint and delivery events over SNS, verified and typed. */
export {};
